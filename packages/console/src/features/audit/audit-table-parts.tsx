import type { AuditEntry } from '@reachloop/domain'
import { Flex, Typography, type TableColumnsType } from 'antd'
import { useI18n, type Language, type Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

const Json = ({ value }: { value: unknown }) => (
  <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
    {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
  </pre>
)

/** An audit entry unfolded: the entity before and after the change. */
export function AuditChange({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n()
  return (
    <Flex gap={24}>
      <div style={{ flex: 1 }}>
        <Typography.Text strong>{t('audit.before')}</Typography.Text>
        <Json value={entry.before} />
      </div>
      <div style={{ flex: 1 }}>
        <Typography.Text strong>{t('audit.after')}</Typography.Text>
        <Json value={entry.after} />
      </div>
    </Flex>
  )
}

/** The audit table's columns: when, who, what and on which entity. */
export const auditColumns = (t: Translate, language: Language): TableColumnsType<AuditEntry> => [
  { title: t('audit.time'), dataIndex: 'at', width: 200, render: (at: string) => formatTime(at, language) },
  { title: t('audit.actor'), dataIndex: ['actor', 'label'] },
  { title: t('audit.action'), dataIndex: 'action', render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
  {
    title: t('audit.entity'),
    key: 'entity',
    render: (_: unknown, e: AuditEntry) => `${e.entityType}${e.entityId ? ` · ${e.entityId}` : ''}`,
  },
]
