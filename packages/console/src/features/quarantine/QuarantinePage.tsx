import { routes, type QuarantinedEvent } from '@reachloop/domain'
import { Alert, App, Button, Card, Flex, Input, Modal, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

/** Events refused at ingestion, with their reason; correct one and ingest it again. */
export function QuarantinePage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [items, setItems] = useState<QuarantinedEvent[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null)

  const load = useCallback(
    (after: string | null) =>
      run(async () => {
        const page = await api.call(routes.listQuarantine, { query: { limit: 50, ...(after ? { cursor: after } : {}) } })
        setItems((previous) => (after ? [...previous, ...page.items] : page.items))
        setCursor(page.nextCursor)
      }),
    [run],
  )
  useEffect(() => void load(null), [load])
  const replay = (id: string, payload?: Record<string, unknown>) =>
    run(async () => {
      await api.call(routes.replayQuarantined, { params: { id }, body: payload ? { payload } : {} })
      void message.success(t('quarantine.replayed'))
      setEditing(null)
      await load(null)
    })

  return (
    <Card title={t('quarantine.title')}>
      <Alert type="info" showIcon message={t('quarantine.intro')} style={{ marginBottom: 16 }} />
      <Table<QuarantinedEvent>
        rowKey="id"
        loading={busy}
        dataSource={items}
        pagination={false}
        data-testid="quarantine-table"
        expandable={{
          expandedRowRender: (q) => (
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
          ),
        }}
        columns={[
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
                can('profiles.write') && (
                  <Space>
                    <Button size="small" onClick={() => setEditing({ id: q.id, text: JSON.stringify(q.payload, null, 2) })}>
                      {t('quarantine.edit')}
                    </Button>
                  </Space>
                )
              ),
          },
        ]}
      />
      {cursor && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void load(cursor)}>{t('common.loadMore')}</Button>
        </Flex>
      )}
      <Modal
        title={t('quarantine.edit')}
        open={editing !== null}
        width={720}
        okText={t('quarantine.replay')}
        cancelText={t('common.cancel')}
        onCancel={() => setEditing(null)}
        onOk={() => {
          if (!editing) return
          try {
            void replay(editing.id, JSON.parse(editing.text) as Record<string, unknown>)
          } catch (error) {
            void message.error(String(error))
          }
        }}
      >
        <Input.TextArea
          rows={14}
          value={editing?.text}
          onChange={(e) => setEditing((current) => (current ? { ...current, text: e.target.value } : current))}
          style={{ fontFamily: 'monospace' }}
          data-testid="quarantine-editor"
        />
      </Modal>
    </Card>
  )
}
