import { routes, type Job, type JobState, type QueueStats } from '@reachloop/domain'
import { App, Button, Card, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api } from '../../shared/api.js'
import { EChart } from '../../shared/EChart.js'
import { formatTime } from '../../shared/format.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

const STATS = ['due', 'scheduled', 'retrying', 'running', 'dead', 'done'] as const
const COLORS: Record<(typeof STATS)[number], string> = {
  due: '#1677ff',
  scheduled: '#69b1ff',
  retrying: '#faad14',
  running: '#13c2c2',
  dead: '#ff4d4f',
  done: '#52c41a',
}
const STATE_COLORS: Record<JobState, string> = { queued: 'blue', running: 'cyan', done: 'green', dead: 'red' }
const REFRESH_MS = 5000

export function JobsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const [queues, setQueues] = useState<QueueStats[]>([])
  const [jobs, setJobs] = useState<Job[]>([])
  const [queue, setQueue] = useState<string | undefined>()
  const [state, setState] = useState<JobState | undefined>()

  const load = useCallback(async () => {
    try {
      const [q, j] = await Promise.all([
        api.call(routes.listQueues, {}),
        api.call(routes.listJobs, { query: { limit: 100, ...(queue ? { queue } : {}), ...(state ? { state } : {}) } }),
      ])
      setQueues(q.items)
      setJobs(j.items)
    } catch (error) {
      showError(error)
    }
  }, [queue, state, showError])
  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])

  const retry = async (id: string) => {
    try {
      await api.call(routes.retryJob, { params: { id } })
      void message.success(t('jobs.retried'))
      await load()
    } catch (error) {
      showError(error)
    }
  }

  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: STATS.map((s) => t(`jobs.${s}` as MessageKey)) },
      grid: { left: 20, right: 20, bottom: 10, top: 40, containLabel: true },
      xAxis: { type: 'category', data: queues.map((q) => q.queue) },
      yAxis: { type: 'value', minInterval: 1 },
      series: STATS.map((s) => ({
        name: t(`jobs.${s}` as MessageKey),
        type: 'bar',
        stack: 'jobs',
        barMaxWidth: 56,
        itemStyle: { color: COLORS[s] },
        data: queues.map((q) => q[s]),
      })),
    }),
    [queues, t],
  )

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('jobs.chart')} extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}>
        {queues.length === 0 ? <Empty description={t('jobs.empty')} /> : <EChart option={option} testId="jobs-chart" />}
      </Card>
      <Card title={t('jobs.title')}>
        <Flex gap={12} style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('jobs.queue')}
            style={{ width: 220 }}
            value={queue}
            onChange={setQueue}
            options={queues.map((q) => ({ value: q.queue, label: q.queue }))}
          />
          <Select<JobState>
            allowClear
            placeholder={t('jobs.state')}
            style={{ width: 160 }}
            value={state}
            onChange={setState}
            data-testid="jobs-state-filter"
            options={(['queued', 'running', 'dead', 'done'] as const).map((s) => ({ value: s, label: t(`jobs.${s}` as MessageKey) }))}
          />
        </Flex>
        <Table<Job>
          rowKey="id"
          dataSource={jobs}
          pagination={{ pageSize: 20 }}
          data-testid="jobs-table"
          columns={[
            { title: 'ID', dataIndex: 'id', width: 90 },
            { title: t('jobs.queue'), dataIndex: 'queue' },
            {
              title: t('jobs.state'),
              dataIndex: 'state',
              render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{t(`jobs.${s}` as MessageKey)}</Tag>,
            },
            { title: t('jobs.attempts'), key: 'attempts', render: (_: unknown, job: Job) => `${job.attempts} / ${job.maxAttempts}` },
            { title: t('jobs.runAt'), dataIndex: 'runAt', render: (at: string) => formatTime(at, language) },
            {
              title: t('jobs.lastError'),
              dataIndex: 'lastError',
              ellipsis: true,
              render: (error: string | null) =>
                error ? (
                  <Typography.Text type="danger" title={error}>
                    {error.split('\n')[0]}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, job: Job) =>
                job.state === 'dead' && can('jobs.manage') ? (
                  <Button size="small" onClick={() => void retry(job.id)} data-testid={`retry-job-${job.id}`}>
                    {t('jobs.retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  )
}
