import { routes, type SourceWebhook } from '@reachloop/domain'
import { Alert, App, Button, Descriptions, Input, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { api, ApiError } from '../../shared/api.js'
import { useI18n } from '../../i18n/i18n.js'
import { useAction } from '../../shared/use-action.js'

const EXAMPLE = {
  kind: 'events',
  mapping: {
    eventName: 'Order Completed',
    messageId: 'trade.tid',
    timestamp: 'trade.created',
    traits: { phone: 'buyer.mobile' },
    properties: { order_id: 'trade.tid', total: 'trade.payment' },
  },
}

/** A source's webhook: URL, signing secret, and the field mapping as JSON. */
export function WebhookSettings({ sourceId }: { sourceId: string }) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [webhook, setWebhook] = useState<SourceWebhook>()
  const [text, setText] = useState(JSON.stringify(EXAMPLE, null, 2))

  useEffect(() => {
    api.call(routes.getSourceWebhook, { params: { id: sourceId } }).then(
      (w) => {
        setWebhook(w)
        setText(JSON.stringify({ kind: w.kind, mapping: w.mapping }, null, 2))
      },
      (error: unknown) => {
        if (!(error instanceof ApiError) || error.code !== 'WEBHOOK_NOT_SET') void message.error(String(error))
      },
    )
  }, [sourceId, message])

  const save = () =>
    run(async () => {
      const parsed = JSON.parse(text) as { kind: 'events' | 'profiles'; mapping: SourceWebhook['mapping'] }
      setWebhook(
        await api.call(routes.setSourceWebhook, { params: { id: sourceId }, body: { kind: parsed.kind, mapping: parsed.mapping } }),
      )
      void message.success(t('common.saved'))
    })
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message={t('sources.webhookIntro')} />
      {webhook && (
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            {
              key: 'url',
              label: t('sources.webhookUrl'),
              children: (
                <Typography.Text code copyable data-testid="webhook-url">
                  {webhook.url}
                </Typography.Text>
              ),
            },
            {
              key: 'secret',
              label: t('sources.webhookSecret'),
              children: (
                <Typography.Text code copyable data-testid="webhook-secret">
                  {webhook.secret}
                </Typography.Text>
              ),
            },
            {
              key: 'header',
              label: t('sources.signatureHeader'),
              children: <Typography.Text code>{`${webhook.signatureHeader}: sha256=<hex HMAC-SHA256(secret, body)>`}</Typography.Text>,
            },
          ]}
        />
      )}
      <Typography.Text strong>{t('sources.webhookMapping')}</Typography.Text>
      <Input.TextArea rows={12} value={text} onChange={(e) => setText(e.target.value)} style={{ fontFamily: 'monospace' }} />
      <Button type="primary" loading={busy} onClick={() => void save()}>
        {t('sources.webhookSave')}
      </Button>
    </Space>
  )
}
