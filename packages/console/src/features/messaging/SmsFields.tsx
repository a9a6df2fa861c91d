import { Button, Form, Input } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { fieldStatus, type ContentProps } from './content-props.js'
import { FieldList } from './FieldList.js'

/** The `${name}` placeholders of an approved wording, in order, each once. */
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ''))]

/**
 * An SMS: the provider's approved template code and signature, the approved wording copied with
 * its `${name}` placeholders, and each placeholder's value in Liquid.
 */
export function SmsFields({ content, onChange, problems }: ContentProps<'sms'>) {
  const { t } = useI18n()
  const set = (part: Partial<typeof content>) => onChange({ ...content, ...part })
  const unfilled = placeholders(content.text).filter((name) => !content.params.some((p) => p.key === name))
  return (
    <>
      <Form.Item
        label={t('messaging.sms.templateCode')}
        required
        extra={t('messaging.sms.templateCodeHint')}
        {...fieldStatus(problems, 'templateCode')}
      >
        <Input value={content.templateCode} onChange={(e) => set({ templateCode: e.target.value })} data-testid="sms-template-code" />
      </Form.Item>
      <Form.Item label={t('messaging.sms.signName')} {...fieldStatus(problems, 'signName')}>
        <Input value={content.signName} onChange={(e) => set({ signName: e.target.value })} data-testid="sms-sign-name" />
      </Form.Item>
      <Form.Item
        label={t('messaging.sms.text')}
        extra={t('messaging.sms.textHint', { example: '您好${name}，您的验证码是${code}' })}
        {...fieldStatus(problems, 'text')}
      >
        <Input.TextArea
          value={content.text}
          onChange={(e) => set({ text: e.target.value })}
          autoSize={{ minRows: 3, maxRows: 8 }}
          data-testid="sms-text"
        />
      </Form.Item>
      <Form.Item
        label={t('messaging.sms.params')}
        extra={t('messaging.sms.paramsHint', { example: 'name → {{ profile.first_name }}' })}
        {...fieldStatus(problems, 'params')}
      >
        <FieldList fields={content.params} onChange={(params) => set({ params })} testId="sms-param" keyPlaceholder="name" />
        {unfilled.length > 0 && (
          <Button
            type="link"
            style={{ paddingInline: 0 }}
            onClick={() => set({ params: [...content.params, ...unfilled.map((key) => ({ key, value: '' }))] })}
            data-testid="sms-add-placeholders"
          >
            {t('messaging.sms.addPlaceholders', { names: unfilled.map((n) => `\${${n}}`).join(' ') })}
          </Button>
        )}
      </Form.Item>
    </>
  )
}
