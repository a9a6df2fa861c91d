import { Form, Input, InputNumber, Radio } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { fieldStatus, type ContentProps } from './content-props.js'
import { FieldList } from './FieldList.js'

/** A WeCom message: an application message to staff, or a customer-contact text sent through the customer's staff member. */
export function WecomFields({ content, onChange, problems }: ContentProps<'wecom'>) {
  const { t } = useI18n()
  return (
    <>
      <Form.Item label={t('messaging.wecom.kind')}>
        <Radio.Group
          value={content.kind}
          onChange={(e) => onChange({ ...content, kind: e.target.value as typeof content.kind })}
          options={(['app', 'customer'] as const).map((k) => ({ value: k, label: t(`messaging.wecom.kind.${k}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('messaging.wecom.text')} {...fieldStatus(problems, 'text')}>
        <Input.TextArea
          value={content.text}
          onChange={(e) => onChange({ ...content, text: e.target.value })}
          autoSize={{ minRows: 4, maxRows: 12 }}
          data-testid="wecom-text"
        />
      </Form.Item>
    </>
  )
}

/** An app push: title, body, the deep link it opens, the badge and extra data. */
export function PushFields({ content, onChange, problems }: ContentProps<'push'>) {
  const { t } = useI18n()
  const set = (part: Partial<typeof content>) => onChange({ ...content, ...part })
  return (
    <>
      <Form.Item label={t('messaging.push.title')} {...fieldStatus(problems, 'title')}>
        <Input value={content.title} onChange={(e) => set({ title: e.target.value })} data-testid="push-title" />
      </Form.Item>
      <Form.Item label={t('messaging.push.body')} {...fieldStatus(problems, 'body')}>
        <Input.TextArea
          value={content.body}
          onChange={(e) => set({ body: e.target.value })}
          autoSize={{ minRows: 2, maxRows: 6 }}
          data-testid="push-body"
        />
      </Form.Item>
      <Form.Item label={t('messaging.push.deepLink')} {...fieldStatus(problems, 'deepLink')}>
        <Input value={content.deepLink ?? ''} onChange={(e) => set({ deepLink: e.target.value })} placeholder="myapp://orders/123" />
      </Form.Item>
      <Form.Item label={t('messaging.push.badge')}>
        <InputNumber min={0} max={99_999} value={content.badge ?? null} onChange={(badge) => set({ badge: badge ?? undefined })} />
      </Form.Item>
      <Form.Item label={t('messaging.push.data')} {...fieldStatus(problems, 'data')}>
        <FieldList fields={content.data ?? []} onChange={(data) => set({ data })} testId="push-data" />
      </Form.Item>
    </>
  )
}

/** A webhook: the JSON body, in Liquid that must render to JSON. */
export function WebhookFields({ content, onChange, problems }: ContentProps<'webhook'>) {
  const { t } = useI18n()
  return (
    <Form.Item label={t('messaging.webhook.body')} extra={t('messaging.webhook.bodyHint')} {...fieldStatus(problems, 'body')}>
      <Input.TextArea
        value={content.body}
        onChange={(e) => onChange({ ...content, body: e.target.value })}
        autoSize={{ minRows: 8, maxRows: 30 }}
        spellCheck={false}
        style={{ fontFamily: 'monospace', fontSize: 13 }}
        data-testid="webhook-body"
      />
    </Form.Item>
  )
}
