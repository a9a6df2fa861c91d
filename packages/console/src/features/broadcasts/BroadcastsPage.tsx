import { routes, type Broadcast } from '@reachloop/domain'
import { Button, Card, Table, Typography, type TableColumnsType } from 'antd'
import { useEffect } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { useI18n, type Language, type Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useSession } from '../../shared/session.js'
import { useLoad } from '../../shared/use-load.js'
import { BroadcastStateTag, latestRun, RunProgress, runIsLive } from './broadcast-parts.js'
import { scheduleInWords } from './schedule-words.js'

/** The list's columns: name (a link), template, segment, schedule in words, state, latest run, next run. */
function broadcastColumns(
  t: Translate,
  language: Language,
  data: { templates: Map<string, string>; segments: Map<string, string> } | undefined,
): TableColumnsType<Broadcast> {
  return [
    {
      title: t('broadcasts.name'),
      dataIndex: 'name',
      render: (name: string, b) => (
        <Link to={`/broadcasts/${b.id}`} data-testid={`open-broadcast-${name}`}>
          {name}
        </Link>
      ),
    },
    {
      title: t('broadcasts.template'),
      dataIndex: 'templateId',
      responsive: ['md'],
      render: (id: string) => data?.templates.get(id) ?? <Typography.Text type="secondary">{id.slice(0, 8)}</Typography.Text>,
    },
    {
      title: t('broadcasts.segment'),
      dataIndex: 'segmentId',
      responsive: ['md'],
      render: (id: string) => {
        const name = data?.segments.get(id)
        return name ? <Link to={`/segments/${id}`}>{name}</Link> : <Typography.Text type="secondary">{id.slice(0, 8)}</Typography.Text>
      },
    },
    {
      title: t('broadcasts.schedule'),
      dataIndex: 'schedule',
      render: (_: unknown, b) => scheduleInWords(b.schedule, b.localTime, t, language),
    },
    { title: t('broadcasts.state'), dataIndex: 'state', render: (state: Broadcast['state']) => <BroadcastStateTag state={state} /> },
    {
      title: t('broadcasts.progress'),
      key: 'progress',
      render: (_: unknown, b) => {
        const run = latestRun(b)
        return run ? <RunProgress run={run} size="small" /> : <Typography.Text type="secondary">—</Typography.Text>
      },
    },
    {
      title: t('broadcasts.nextRun'),
      dataIndex: 'nextRunAt',
      responsive: ['sm'],
      render: (at: string | null) => (at ? formatTime(at, language) : '—'),
    },
  ]
}

/** Broadcasts with their template, segment, schedule in words, state, latest run's progress and next run. */
export function BroadcastsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const navigate = useNavigate()
  const segmentsAllowed = can('audiences.read')
  const { data, loading, reload } = useLoad(async () => {
    const [broadcasts, templates, segments] = await Promise.all([
      api.call(routes.listBroadcasts, {}),
      api.call(routes.listTemplates, {}),
      segmentsAllowed ? api.call(routes.listSegments, {}) : Promise.resolve({ items: [] }),
    ])
    return {
      broadcasts: broadcasts.items,
      templates: new Map(templates.items.map((x) => [x.id, x.name])),
      segments: new Map(segments.items.map((x) => [x.id, x.name])),
    }
  }, [segmentsAllowed])
  // A run in progress moves its bar: look again while one is.
  const live = data?.broadcasts.some((b) => b.runs.some(runIsLive)) ?? false
  useEffect(() => {
    if (!live) return
    const timer = setTimeout(() => void reload(), 3000)
    return () => clearTimeout(timer)
  }, [live, data, reload])

  return (
    <Card
      title={t('broadcasts.title')}
      extra={
        can('messaging.write') && (
          <Button type="primary" onClick={() => navigate('/broadcasts/new')} data-testid="new-broadcast">
            {t('broadcasts.new')}
          </Button>
        )
      }
    >
      <Table<Broadcast>
        rowKey="id"
        loading={loading && !data}
        dataSource={data?.broadcasts ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('broadcasts.none') }}
        data-testid="broadcasts-table"
        columns={broadcastColumns(t, language, data)}
      />
    </Card>
  )
}
