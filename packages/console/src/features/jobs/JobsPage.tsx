import { routes, type Job, type JobState } from '@reachloop/domain'
import { App, Button, Card, Empty, Flex, Select, Space, Table } from 'antd'
import { useMemo, useState } from 'react'
import { api } from '../../shared/api.js'
import { EChart } from '../../shared/EChart.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { useEntityNames } from '../audit/use-entity-names.js'
import { jobColumns, queueLabel } from './job-columns.js'
import { jobsChartOption } from './jobs-chart.js'
import { useJobs } from './use-jobs.js'

/** The job queues: counts per state as a chart, the jobs by queue and state, retry a dead one. */
export function JobsPage() {
  const { t, tMaybe, language } = useI18n()
  const names = useEntityNames()
  const { can } = useSession()
  const { message } = App.useApp()
  const { run } = useAction()
  const [queue, setQueue] = useState<string | undefined>()
  const [state, setState] = useState<JobState | undefined>()
  const { queues, jobs, reload } = useJobs(queue, state)
  const option = useMemo(() => jobsChartOption(queues, t, (q) => queueLabel(tMaybe, q)), [queues, t, tMaybe])

  const retry = (id: string) =>
    run(async () => {
      await api.call(routes.retryJob, { params: { id } })
      void message.success(t('jobs.retried'))
      await reload()
    })

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('jobs.chart')} extra={<Button onClick={() => void reload()}>{t('common.refresh')}</Button>}>
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
            options={queues.map((q) => ({ value: q.queue, label: queueLabel(tMaybe, q.queue) }))}
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
          columns={jobColumns(t, tMaybe, language, names, can('jobs.manage') ? (id) => void retry(id) : undefined)}
        />
      </Card>
    </Space>
  )
}
