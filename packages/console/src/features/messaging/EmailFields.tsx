import { Form, Input, Radio } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { fieldStatus, type ContentProps } from './content-props.js'

/** An email: subject, preheader, the body in HTML or MJML, and its plain-text part. */
export function EmailFields({ content, onChange, problems }: ContentProps<'email'>) {
  const { t } = useI18n()
  const set = (part: Partial<typeof content>) => onChange({ ...content, ...part })
  return (
    <>
      <Form.Item label={t('messaging.email.subject')} required {...fieldStatus(problems, 'subject')}>
        <Input value={content.subject} onChange={(e) => set({ subject: e.target.value })} data-testid="email-subject" />
      </Form.Item>
      <Form.Item label={t('messaging.email.preheader')} extra={t('messaging.email.preheaderHint')} {...fieldStatus(problems, 'preheader')}>
        <Input value={content.preheader} onChange={(e) => set({ preheader: e.target.value })} data-testid="email-preheader" />
      </Form.Item>
      <Form.Item label={t('messaging.email.format')}>
        <Radio.Group
          value={content.format}
          onChange={(e) => set({ format: e.target.value as typeof content.format })}
          optionType="button"
          options={[
            { value: 'html', label: 'HTML' },
            { value: 'mjml', label: 'MJML' },
          ]}
          data-testid="email-format"
        />
      </Form.Item>
      <Form.Item label={t('messaging.email.body')} {...fieldStatus(problems, 'body')}>
        <Input.TextArea
          value={content.body}
          onChange={(e) => set({ body: e.target.value })}
          autoSize={{ minRows: 10, maxRows: 30 }}
          spellCheck={false}
          style={{ fontFamily: 'monospace', fontSize: 13 }}
          data-testid="email-body"
        />
      </Form.Item>
      <Form.Item label={t('messaging.email.text')} extra={t('messaging.email.textHint')} {...fieldStatus(problems, 'text')}>
        <Input.TextArea
          value={content.text}
          onChange={(e) => set({ text: e.target.value })}
          autoSize={{ minRows: 3, maxRows: 12 }}
          data-testid="email-text"
        />
      </Form.Item>
    </>
  )
}
