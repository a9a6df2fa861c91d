import { routes, type AuditEntry } from '@reachloop/domain'
import { Button, Card, Flex, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useCursorList } from '../../shared/use-cursor-list.js'
import { useI18n } from '../../i18n/i18n.js'
import { AuditChange, auditColumns } from './audit-table-parts.js'
import { AuditFilters, type AuditFilter } from './AuditFilters.js'
import { useEntityNames } from './use-entity-names.js'

/** Who changed what and when, newest first, narrowed by action, entity type and time. */
export function AuditPage() {
  const { t, tMaybe, language } = useI18n()
  const [filters, setFilters] = useState<AuditFilter>({})
  const names = useEntityNames()
  const audit = useCursorList(
    (cursor) =>
      api.call(routes.listAudit, {
        query: {
          limit: 50,
          ...(cursor ? { cursor } : {}),
          ...(filters.action ? { action: filters.action } : {}),
          ...(filters.entityType ? { entityType: filters.entityType } : {}),
          ...(filters.range?.[0] ? { from: filters.range[0].toISOString() } : {}),
          ...(filters.range?.[1] ? { to: filters.range[1].toISOString() } : {}),
        },
      }),
    [filters],
  )

  return (
    <Card title={t('audit.title')}>
      <AuditFilters onChange={setFilters} />
      <Table<AuditEntry>
        rowKey="id"
        loading={audit.loading}
        dataSource={audit.items}
        pagination={false}
        data-testid="audit-table"
        expandable={{ expandedRowRender: (entry) => <AuditChange entry={entry} /> }}
        columns={auditColumns(t, tMaybe, language, names)}
      />
      {audit.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void audit.loadMore()} loading={audit.loading}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Card>
  )
}
