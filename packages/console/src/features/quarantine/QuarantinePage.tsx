import { routes, type QuarantinedEvent } from '@reachloop/domain'
import { Alert, App, Button, Card, Flex, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useCursorList } from '../../shared/use-cursor-list.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { QuarantinedPayload, quarantineColumns } from './quarantine-table-parts.js'
import { ReplayModal, type Correction } from './ReplayModal.js'

/** Events refused at ingestion, with their reason; correct one and ingest it again. */
export function QuarantinePage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const quarantine = useCursorList((cursor) => api.call(routes.listQuarantine, { query: { limit: 50, ...(cursor ? { cursor } : {}) } }), [])
  const [editing, setEditing] = useState<Correction | null>(null)

  const replay = (id: string, payload?: Record<string, unknown>) =>
    run(async () => {
      await api.call(routes.replayQuarantined, { params: { id }, body: payload ? { payload } : {} })
      void message.success(t('quarantine.replayed'))
      setEditing(null)
      await quarantine.reload()
    })
  const edit = (q: QuarantinedEvent) => setEditing({ id: q.id, text: JSON.stringify(q.payload, null, 2) })

  return (
    <Card title={t('quarantine.title')}>
      <Alert type="info" showIcon message={t('quarantine.intro')} style={{ marginBottom: 16 }} />
      <Table<QuarantinedEvent>
        rowKey="id"
        loading={quarantine.loading || busy}
        dataSource={quarantine.items}
        pagination={false}
        data-testid="quarantine-table"
        expandable={{ expandedRowRender: (q) => <QuarantinedPayload event={q} /> }}
        columns={quarantineColumns(t, language, can('profiles.write') ? edit : undefined)}
      />
      {quarantine.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void quarantine.loadMore()}>{t('common.loadMore')}</Button>
        </Flex>
      )}
      <ReplayModal editing={editing} onChange={setEditing} onReplay={(id, payload) => void replay(id, payload)} />
    </Card>
  )
}
