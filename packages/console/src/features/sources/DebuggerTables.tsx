import type { DebuggerEvent, QuarantinedEvent } from '@reachloop/domain'
import { Empty, Table, Tag } from 'antd'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

/** The events a source received lately, each linked to its customer. */
export function DebuggerEventsTable({ events }: { events: DebuggerEvent[] }) {
  const { t, language } = useI18n()
  return (
    <Table<DebuggerEvent>
      rowKey="id"
      size="small"
      dataSource={events}
      pagination={false}
      data-testid="debugger-events"
      locale={{ emptyText: <Empty description={t('sources.waiting')} /> }}
      expandable={{
        expandedRowRender: (e) => <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(e.properties, null, 2)}</pre>,
      }}
      columns={[
        { title: t('audit.time'), dataIndex: 'receivedAt', width: 190, render: (at: string) => formatTime(at, language) },
        { title: t('sources.eventType'), dataIndex: 'type', width: 90, render: (type: string) => <Tag>{type}</Tag> },
        { title: t('sources.eventName'), dataIndex: 'name', render: (name: string | null) => name ?? '—' },
        { title: t('sources.who'), key: 'who', render: (_: unknown, e: DebuggerEvent) => e.userId ?? e.anonymousId },
        {
          title: t('profiles.customer'),
          dataIndex: 'profileId',
          render: (profileId: string) => (
            <Link to={`/profiles/${profileId}`} data-testid="debugger-profile-link" title={profileId}>
              {t('sources.openProfile')}
            </Link>
          ),
        },
      ]}
    />
  )
}

/** The events a source refused lately, with the reason. */
export function DebuggerRejectionsTable({ rejections }: { rejections: QuarantinedEvent[] }) {
  const { t, language } = useI18n()
  return (
    <Table<QuarantinedEvent>
      rowKey="id"
      size="small"
      dataSource={rejections}
      pagination={false}
      data-testid="debugger-rejections"
      expandable={{
        expandedRowRender: (r) => <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(r.payload, null, 2)}</pre>,
      }}
      columns={[
        { title: t('audit.time'), dataIndex: 'receivedAt', width: 190, render: (at: string) => formatTime(at, language) },
        { title: t('sources.code'), dataIndex: 'code', render: (code: string) => <Tag color="red">{code}</Tag> },
        { title: t('sources.reason'), dataIndex: 'reason' },
      ]}
    />
  )
}
