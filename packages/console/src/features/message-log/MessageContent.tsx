import { Descriptions, Empty, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
const text = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** A value as indented JSON, in a box that scrolls rather than widening the page. */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre
      style={{ background: '#fafafa', border: '1px solid #f0f0f0', padding: 12, margin: 0, maxHeight: 400, overflow: 'auto', fontSize: 12 }}
      data-testid={testId}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  )
}

/**
 * What the message said, as the customer got it: an email's HTML in a sandboxed frame (no scripts,
 * no same-origin access, so a template cannot act in the console), an SMS's final text, anything
 * else as its JSON.
 */
export function MessageContent({ content }: { content: unknown }) {
  const { t } = useI18n()
  const shown = record(content)
  if (!shown) return <Empty description={t('messagePage.noContent')} />
  const html = shown.channel === 'email' ? text(shown.html) : undefined
  if (html !== undefined)
    return (
      <>
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 12 }}
          items={[
            { key: 'subject', label: t('messagePage.subject'), children: text(shown.subject) ?? '—' },
            { key: 'from', label: t('messagePage.from'), children: text(shown.from) ?? '—' },
          ]}
        />
        <iframe
          title={text(shown.subject) ?? 'email'}
          sandbox=""
          srcDoc={html}
          referrerPolicy="no-referrer"
          style={{ width: '100%', height: 480, border: '1px solid #f0f0f0', background: '#fff' }}
          data-testid="message-html"
        />
      </>
    )
  const sms = shown.channel === 'sms' ? text(shown.text) : undefined
  if (sms !== undefined)
    return (
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15, margin: 0 }} data-testid="message-sms">
        {sms}
      </Typography.Paragraph>
    )
  return <JsonBlock value={content} testId="message-json" />
}
