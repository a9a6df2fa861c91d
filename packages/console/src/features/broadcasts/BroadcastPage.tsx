import { routes, type Broadcast, type BroadcastRun } from '@reachloop/domain'
import { Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag } from 'antd'
import { useEffect, useMemo } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { EChart } from '../../shared/EChart.js'
import { formatTime } from '../../shared/format.js'
import { useLoad } from '../../shared/use-load.js'
import { BroadcastActions } from './BroadcastActions.js'
import { BroadcastStateTag, latestRun, RunProgress, runIsLive, RunStateTag } from './broadcast-parts.js'
import { runFigures, runOutcomesOption } from './run-outcomes.js'
import { scheduleInWords } from './schedule-words.js'

/** How often the page looks again while a run is preparing or sending. */
const POLL_MS = 2000

/** A run's progress bar, its figures and a chart of where its messages are. */
function LatestRunCard({ run }: { run: BroadcastRun }) {
  const { t, language } = useI18n()
  const option = useMemo(() => runOutcomesOption(run, t), [run, t])
  return (
    <Card
      title={
        <Space>
          {t('broadcasts.progress')}
          <RunStateTag state={run.state} />
        </Space>
      }
      extra={formatTime(run.startedAt ?? run.scheduledFor, language)}
      data-testid="latest-run"
    >
      <RunProgress run={run} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {runFigures(run).map((f) => (
          <Col key={f.key} xs={12} sm={6} lg={3}>
            <Statistic title={t(f.key)} value={f.value} valueRender={(node) => <span data-testid={f.testId}>{node}</span>} />
          </Col>
        ))}
      </Row>
      <Card type="inner" size="small" title={t('broadcasts.outcomes')} style={{ marginTop: 16 }}>
        <EChart option={option} height={260} testId="run-outcomes" />
      </Card>
    </Card>
  )
}

/** Every run the API lists (the latest few), with its progress. */
function RunsTable({ runs }: { runs: BroadcastRun[] }) {
  const { t, language } = useI18n()
  return (
    <Card title={t('broadcasts.runs')} size="small">
      <Table<BroadcastRun>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={runs}
        locale={{ emptyText: t('broadcasts.noRuns') }}
        columns={[
          { title: t('broadcasts.runAt'), dataIndex: 'scheduledFor', render: (at: string) => formatTime(at, language) },
          { title: t('broadcasts.state'), dataIndex: 'state', render: (s: BroadcastRun['state']) => <RunStateTag state={s} /> },
          { title: t('broadcasts.progress'), key: 'progress', render: (_: unknown, r) => <RunProgress run={r} size="small" /> },
          { title: t('broadcasts.audience'), dataIndex: 'audienceSize', align: 'right' },
          { title: t('broadcasts.sent'), key: 'sent', align: 'right', render: (_: unknown, r) => r.sent + r.delivered },
          { title: t('broadcasts.failed'), dataIndex: 'failed', align: 'right' },
          { title: t('broadcasts.suppressed'), dataIndex: 'suppressed', align: 'right' },
          {
            title: t('broadcasts.finishedAt'),
            dataIndex: 'finishedAt',
            responsive: ['md'],
            render: (at: string | null) => (at ? formatTime(at, language) : '—'),
          },
        ]}
      />
    </Card>
  )
}

/** What the broadcast sends, to whom and when, with its actions. */
function BroadcastSummary({ broadcast, onChanged }: { broadcast: Broadcast; onChanged: (next: Broadcast) => void }) {
  const { t, language } = useI18n()
  const names = useLoad(async () => {
    const [template, segment] = await Promise.all([
      api.call(routes.getTemplate, { params: { id: broadcast.templateId } }).catch(() => null),
      api.call(routes.getSegment, { params: { id: broadcast.segmentId } }).catch(() => null),
    ])
    return { template: template?.name, segment: segment?.name }
  }, [broadcast.templateId, broadcast.segmentId])
  return (
    <Card
      title={
        <Space wrap>
          <span data-testid="broadcast-name">{broadcast.name}</span>
          <BroadcastStateTag state={broadcast.state} />
          {broadcast.localTime && <Tag color="blue">{t('broadcasts.localTimeTag')}</Tag>}
          {broadcast.holdoutPercent > 0 && <Tag>{t('broadcasts.holdoutTag', { percent: broadcast.holdoutPercent })}</Tag>}
          {broadcast.ratePerMinute !== null && <Tag>{t('broadcasts.rateTag', { rate: broadcast.ratePerMinute })}</Tag>}
        </Space>
      }
      extra={<BroadcastActions broadcast={broadcast} onChanged={onChanged} />}
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'template', label: t('broadcasts.template'), children: names.data?.template ?? '—' },
          {
            key: 'segment',
            label: t('broadcasts.segment'),
            children: <Link to={`/segments/${broadcast.segmentId}`}>{names.data?.segment ?? broadcast.segmentId.slice(0, 8)}</Link>,
          },
          {
            key: 'schedule',
            label: t('broadcasts.schedule'),
            children: scheduleInWords(broadcast.schedule, broadcast.localTime, t, language),
          },
          { key: 'next', label: t('broadcasts.nextRun'), children: broadcast.nextRunAt ? formatTime(broadcast.nextRunAt, language) : '—' },
          { key: 'created', label: t('broadcasts.createdAt'), children: formatTime(broadcast.createdAt, language) },
        ]}
      />
    </Card>
  )
}

/** A broadcast: what it sends and when, its latest run's live progress and outcomes, its earlier runs. */
export function BroadcastPage() {
  const { id = '' } = useParams()
  const { t } = useI18n()
  const { data: broadcast, reload, setData } = useLoad(() => api.call(routes.getBroadcast, { params: { id } }), [id])
  // While a run prepares or sends, look again every two seconds; a scheduled "now" broadcast is about to start one.
  const live = broadcast ? broadcast.runs.some(runIsLive) || (broadcast.state === 'scheduled' && broadcast.schedule.kind === 'now') : false
  useEffect(() => {
    if (!live) return
    const timer = setTimeout(() => void reload(), POLL_MS)
    return () => clearTimeout(timer)
  }, [live, broadcast, reload])

  if (!broadcast) return <Card loading />
  const latest = latestRun(broadcast)
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <BroadcastSummary broadcast={broadcast} onChanged={setData} />
      {latest ? (
        <LatestRunCard run={latest} />
      ) : (
        <Card>
          <Empty description={t('broadcasts.noRuns')} />
        </Card>
      )}
      {broadcast.runs.length > 1 && <RunsTable runs={broadcast.runs} />}
    </Space>
  )
}
