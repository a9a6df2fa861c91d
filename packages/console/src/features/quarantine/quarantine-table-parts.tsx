import type { QuarantinedEvent } from '@reachloop/domain'
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd'
import { useI18n, type Language, type Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

/** A refused event unfolded: the request it came in (and its place there), and its payload. */
export function QuarantinedPayload({ event: q }: { event: QuarantinedEvent }) {
  const { t } = useI18n()
  return (
    <>
      {q.requestId && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('quarantine.request')}:{' '}
          <Typography.Text code copyable>
            {q.requestId}
          </Typography.Text>
          {q.index !== null && (
            <>
              {' '}
              · {t('quarantine.index')}: {q.index}
            </>
          )}
        </Typography.Paragraph>
      )}
      <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(q.payload, null, 2)}</pre>
    </>
  )
}

/** The quarantine table's columns; `onEdit` (for who may write) opens an event to correct it. */
export const quarantineColumns = (
  t: Translate,
  language: Language,
  onEdit: ((event: QuarantinedEvent) => void) | undefined,
): TableColumnsType<QuarantinedEvent> => [
  { title: t('audit.time'), dataIndex: 'receivedAt', width: 190, render: (at: string) => formatTime(at, language) },
  { title: t('quarantine.code'), dataIndex: 'code', render: (code: string) => <Tag color="red">{code}</Tag> },
  {
    title: t('quarantine.field'),
    dataIndex: 'field',
    render: (field: string | null) =>
      field ? <Typography.Text code>{field.length > 60 ? `${field.slice(0, 60)}…` : field}</Typography.Text> : '—',
  },
  {
    title: t('sources.reason'),
    dataIndex: 'reason',
    render: (reason: string) => (reason.length > 200 ? `${reason.slice(0, 200)}…` : reason),
  },
  {
    title: t('common.actions'),
    key: 'actions',
    render: (_: unknown, q: QuarantinedEvent) =>
      q.replayedAt ? (
        <Tag color="green">{t('quarantine.replayed')}</Tag>
      ) : (
        onEdit && (
          <Space>
            <Button size="small" onClick={() => onEdit(q)}>
              {t('quarantine.edit')}
            </Button>
          </Space>
        )
      ),
  },
]
