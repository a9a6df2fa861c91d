import { routes, type AuditEntry } from '@reachloop/domain'
import { Button, Card, DatePicker, Flex, Input, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { useI18n } from '../../i18n/i18n.js'

interface Filters {
  action?: string
  entityType?: string
  range?: [Dayjs | null, Dayjs | null] | null
}

const Json = ({ value }: { value: unknown }) => (
  <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
    {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
  </pre>
)

export function AuditPage() {
  const { t, language } = useI18n()
  const showError = useErrorMessage()
  const [entries, setEntries] = useState<AuditEntry[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [filters, setFilters] = useState<Filters>({})

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true)
      try {
        const page = await api.call(routes.listAudit, {
          query: {
            limit: 50,
            ...(after ? { cursor: after } : {}),
            ...(filters.action ? { action: filters.action } : {}),
            ...(filters.entityType ? { entityType: filters.entityType } : {}),
            ...(filters.range?.[0] ? { from: filters.range[0].toISOString() } : {}),
            ...(filters.range?.[1] ? { to: filters.range[1].toISOString() } : {}),
          },
        })
        setEntries((previous) => (after ? [...previous, ...page.items] : page.items))
        setCursor(page.nextCursor)
      } catch (error) {
        showError(error)
      } finally {
        setLoading(false)
      }
    },
    [filters, showError],
  )
  useEffect(() => void load(null), [load])

  return (
    <Card title={t('audit.title')}>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('audit.filterAction')}
          style={{ width: 260 }}
          data-testid="audit-filter-action"
          onSearch={(action) => setFilters((f) => ({ ...f, action: action.trim() }))}
        />
        <Input.Search
          allowClear
          placeholder={t('audit.filterEntity')}
          style={{ width: 180 }}
          onSearch={(entityType) => setFilters((f) => ({ ...f, entityType: entityType.trim() }))}
        />
        <DatePicker.RangePicker showTime onChange={(range) => setFilters((f) => ({ ...f, range }))} />
      </Flex>
      <Table<AuditEntry>
        rowKey="id"
        loading={loading}
        dataSource={entries}
        pagination={false}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (entry) => (
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
          ),
        }}
        columns={[
          { title: t('audit.time'), dataIndex: 'at', width: 200, render: (at: string) => formatTime(at, language) },
          { title: t('audit.actor'), dataIndex: ['actor', 'label'] },
          { title: t('audit.action'), dataIndex: 'action', render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
          {
            title: t('audit.entity'),
            key: 'entity',
            render: (_: unknown, e: AuditEntry) => `${e.entityType}${e.entityId ? ` · ${e.entityId}` : ''}`,
          },
        ]}
      />
      {cursor && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void load(cursor)} loading={loading}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  )
}
