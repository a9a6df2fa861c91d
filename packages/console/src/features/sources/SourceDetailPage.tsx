import { routes, type DebuggerEvent, type QuarantinedEvent, type Source } from '@reachloop/domain'
import { Card, Empty, Space, Table, Tabs, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { kindLabel } from './source-kind.js'
import { WebhookSettings } from './WebhookSettings.js'
import { AllowedOriginsEditor } from './AllowedOriginsEditor.js'
import { browserSnippet, npmBrowserSnippet } from './browser-snippet.js'
import { useSession } from '../../shared/session.js'

const POLL_MS = 2000

const nodeSnippet = (key: string, origin: string) => `import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: '${key}', host: '${origin}' })

analytics.identify({ userId: 'member-1001', traits: { phone: '13800138000', name: '王芳' } })
analytics.track({ userId: 'member-1001', event: 'Order Completed',
  properties: { order_id: 'o-1', total: 8800, currency: 'CNY', products: [{ product_id: 'wash', price: 8800, quantity: 1 }] } })
await analytics.closeAndFlush()`

const curlSnippet = (key: string, origin: string) => `curl ${origin}/v1/track -u '${key}:' -H 'content-type: application/json' \\
  -d '{"userId":"member-1001","event":"Order Completed","properties":{"total":8800,"currency":"CNY"}}'`

/** A source: how to send it events, and the events (and rejections) as they arrive. */
export function SourceDetailPage() {
  const { id = '' } = useParams()
  const { t, language } = useI18n()
  const { run } = useAction()
  const { can } = useSession()
  const [source, setSource] = useState<Source>()
  const [events, setEvents] = useState<DebuggerEvent[]>([])
  const [rejections, setRejections] = useState<QuarantinedEvent[]>([])

  useEffect(() => {
    void run(async () => setSource((await api.call(routes.listSources, {})).items.find((s) => s.id === id)))
  }, [id, run])
  const poll = useCallback(async () => {
    const latest = await api.call(routes.getSourceDebugger, { params: { id } })
    setEvents(latest.events)
    setRejections(latest.rejections)
  }, [id])
  useEffect(() => {
    void run(poll)
    const timer = setInterval(() => void poll().catch(() => undefined), POLL_MS)
    return () => clearInterval(timer)
  }, [poll, run])

  if (!source) return <Card loading />
  const origin = window.location.origin
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {source.name}
            <Tag>{t(kindLabel(source.kind))}</Tag>
          </Space>
        }
      >
        <Typography.Text type="secondary">{t('sources.writeKey')}: </Typography.Text>
        <Typography.Text code copyable data-testid="source-write-key">
          {source.writeKey}
        </Typography.Text>
        {source.kind !== 'webhook' && (
          <div style={{ marginTop: 16 }}>
            <AllowedOriginsEditor key={source.id} source={source} editable={can('profiles.write')} onSaved={setSource} />
          </div>
        )}
      </Card>
      <Card>
        <Tabs
          defaultActiveKey="debugger"
          items={[
            {
              key: 'debugger',
              label: t('sources.debugger'),
              children: (
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
                    { title: t('field.name'), dataIndex: 'name', render: (name: string | null) => name ?? '—' },
                    { title: 'userId / anonymousId', key: 'who', render: (_: unknown, e: DebuggerEvent) => e.userId ?? e.anonymousId },
                    {
                      title: t('profiles.customer'),
                      dataIndex: 'profileId',
                      render: (profileId: string) => (
                        <Link to={`/profiles/${profileId}`} data-testid="debugger-profile-link">
                          {profileId.slice(0, 8)}
                        </Link>
                      ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'rejections',
              label: `${t('sources.rejections')} (${rejections.length})`,
              children: (
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
                    { title: 'Code', dataIndex: 'code', render: (code: string) => <Tag color="red">{code}</Tag> },
                    { title: t('sources.reason'), dataIndex: 'reason' },
                  ]}
                />
              ),
            },
            ...(source.kind === 'webhook'
              ? [{ key: 'webhook', label: t('sources.webhook'), children: <WebhookSettings sourceId={source.id} /> }]
              : []),
            {
              key: 'snippets',
              label: t('sources.snippets'),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Title level={5}>Node.js — @segment/analytics-node</Typography.Title>
                  <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
                    {nodeSnippet(source.writeKey, origin)}
                  </Typography.Paragraph>
                  <Typography.Title level={5}>{t('sources.browserSnippet')}</Typography.Title>
                  <Typography.Text type="secondary">{t('sources.browserSnippetHint')}</Typography.Text>
                  <Typography.Paragraph
                    copyable
                    code
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                    data-testid="browser-snippet"
                  >
                    {browserSnippet(source.writeKey, origin)}
                  </Typography.Paragraph>
                  <Typography.Title level={5}>{t('sources.npmSnippet')}</Typography.Title>
                  <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
                    {npmBrowserSnippet(source.writeKey, origin)}
                  </Typography.Paragraph>
                  <Typography.Title level={5}>HTTP</Typography.Title>
                  <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
                    {curlSnippet(source.writeKey, origin)}
                  </Typography.Paragraph>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  )
}
