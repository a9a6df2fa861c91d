import { Space, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { browserSnippet, npmBrowserSnippet } from './browser-snippet.js'

const nodeSnippet = (key: string, origin: string) => `import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: '${key}', host: '${origin}' })

analytics.identify({ userId: 'member-1001', traits: { phone: '13800138000', name: '王芳' } })
analytics.track({ userId: 'member-1001', event: 'Order Completed',
  properties: { order_id: 'o-1', total: 8800, currency: 'CNY', products: [{ product_id: 'wash', price: 8800, quantity: 1 }] } })
await analytics.closeAndFlush()`

const curlSnippet = (key: string, origin: string) => `curl ${origin}/v1/track -u '${key}:' -H 'content-type: application/json' \\
  -d '{"userId":"member-1001","event":"Order Completed","properties":{"total":8800,"currency":"CNY"}}'`

/** How to send a source events: Node.js, the browser (script tag and npm) and plain HTTP, each ready to copy. */
export function SourceSnippets({ writeKey, origin }: { writeKey: string; origin: string }) {
  const { t } = useI18n()
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>Node.js — @segment/analytics-node</Typography.Title>
      <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
        {nodeSnippet(writeKey, origin)}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('sources.browserSnippet')}</Typography.Title>
      <Typography.Text type="secondary">{t('sources.browserSnippetHint')}</Typography.Text>
      <Typography.Paragraph copyable code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="browser-snippet">
        {browserSnippet(writeKey, origin)}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('sources.npmSnippet')}</Typography.Title>
      <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
        {npmBrowserSnippet(writeKey, origin)}
      </Typography.Paragraph>
      <Typography.Title level={5}>HTTP</Typography.Title>
      <Typography.Paragraph copyable code style={{ whiteSpace: 'pre' }}>
        {curlSnippet(writeKey, origin)}
      </Typography.Paragraph>
    </Space>
  )
}
