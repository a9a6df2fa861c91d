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

/** The name of what an entry changed, from its before or after (a name, an email, a label), when it has one. */
export function entityName(entry: AuditEntry): string | undefined {
  for (const side of [entry.after, entry.before]) {
    if (typeof side !== 'object' || side === null) continue
    const record = side as Record<string, unknown>
    for (const key of ['name', 'email', 'label', 'fileName', 'event'])
      if (typeof record[key] === 'string' && record[key] !== '') return record[key] as string
  }
  return undefined
}

/** The audit table's columns: when, who, what (in words, its code beside) and on which entity (by name where known). */
export const auditColumns = (
  t: Translate,
  tMaybe: (key: string, fallback: string) => string,
  language: Language,
  names: ReadonlyMap<string, string>,
): TableColumnsType<AuditEntry> => [
  { title: t('audit.time'), dataIndex: 'at', width: 200, render: (at: string) => formatTime(at, language) },
  { title: t('audit.actor'), dataIndex: ['actor', 'label'] },
  {
    title: t('audit.action'),
    dataIndex: 'action',
    render: (action: string) => (
      <Flex vertical>
        <Typography.Text>{tMaybe(`audit.action.${action}`, action)}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {action}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: t('audit.entity'),
    key: 'entity',
    render: (_: unknown, e: AuditEntry) => {
      const name = entityName(e) ?? (e.entityId ? names.get(e.entityId) : undefined)
      const type = tMaybe(`audit.entityType.${e.entityType}`, e.entityType)
      return (
        <span title={e.entityId ?? undefined}>
          {type}
          {name ? ` · ${name}` : e.entityId ? ` · ${e.entityId.slice(0, 8)}` : ''}
        </span>
      )
    },
  },
]
