import { routes } from '@reachloop/domain'
import { Card, Space, Tabs, Tag, Typography } from 'antd'
import { useParams } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { useLoad } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { AllowedOriginsEditor } from './AllowedOriginsEditor.js'
import { DebuggerEventsTable, DebuggerRejectionsTable } from './DebuggerTables.js'
import { kindLabel } from './source-kind.js'
import { SourceSnippets } from './SourceSnippets.js'
import { useSourceDebugger } from './use-source-debugger.js'
import { WebhookSettings } from './WebhookSettings.js'

/** A source: how to send it events, and the events (and rejections) as they arrive. */
export function SourceDetailPage() {
  const { id = '' } = useParams()
  const { t } = useI18n()
  const { can } = useSession()
  const { data: source, setData: setSource } = useLoad(
    async () => (await api.call(routes.listSources, {})).items.find((s) => s.id === id),
    [id],
  )
  const { events, rejections } = useSourceDebugger(id)

  if (!source) return <Card loading />
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
            { key: 'debugger', label: t('sources.debugger'), children: <DebuggerEventsTable events={events} /> },
            {
              key: 'rejections',
              label: `${t('sources.rejections')} (${rejections.length})`,
              children: <DebuggerRejectionsTable rejections={rejections} />,
            },
            ...(source.kind === 'webhook'
              ? [{ key: 'webhook', label: t('sources.webhook'), children: <WebhookSettings sourceId={source.id} /> }]
              : []),
            {
              key: 'snippets',
              label: t('sources.snippets'),
              children: <SourceSnippets writeKey={source.writeKey} origin={window.location.origin} />,
            },
          ]}
        />
      </Card>
    </Space>
  )
}
