import { Form, Input, InputNumber, Switch, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { configProperties, MULTILINE, type ConfigDraft, type PropertySchema } from './provider-config.js'

type ConfigValue = ConfigDraft[string]

/** The input of one property: a switch, a number, a text area (JSON, keys), a password (secrets) or a text. */
function ConfigInput({
  name,
  schema: s,
  secret,
  isSet,
  value,
  onChange,
}: {
  name: string
  schema: PropertySchema
  secret: boolean
  isSet: boolean
  value: ConfigValue | undefined
  onChange: (value: ConfigValue) => void
}) {
  const { t } = useI18n()
  const testId = `config-${name}`
  const text = String(value ?? '')
  const kept = secret && isSet ? t('messaging.providers.secretKept') : undefined
  if (s.type === 'boolean') return <Switch checked={value === true} onChange={onChange} data-testid={testId} />
  if (s.type === 'integer' || s.type === 'number')
    return (
      <InputNumber
        style={{ width: 200 }}
        min={s.minimum}
        max={s.maximum}
        value={typeof value === 'number' ? value : null}
        onChange={onChange}
        data-testid={testId}
      />
    )
  if (s.type === 'object' || s.type === 'array' || MULTILINE.has(name))
    return (
      <Input.TextArea
        rows={4}
        spellCheck={false}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        value={text}
        placeholder={kept ?? (s.type === 'object' ? '{}' : undefined)}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    )
  if (secret)
    return (
      <Input.Password
        autoComplete="new-password"
        value={text}
        placeholder={kept}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    )
  return (
    <Input
      value={text}
      placeholder={typeof s.default === 'string' ? s.default : undefined}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  )
}

/**
 * A field per property of a provider kind's schema: text, number, switch or JSON. A secret is a
 * password input that says "set" when the account holds a value, and is left empty to keep it.
 */
export function ConfigFields({
  schema,
  secretFields,
  secretsSet,
  draft,
  onChange,
  problems,
}: {
  schema: unknown
  secretFields: readonly string[]
  secretsSet: readonly string[]
  draft: ConfigDraft
  onChange: (draft: ConfigDraft) => void
  problems: Record<string, string>
}) {
  const { t, tMaybe } = useI18n()
  return (
    <>
      {configProperties(schema).map(({ key, schema: s, required }) => {
        const secret = secretFields.includes(key)
        const isSet = secretsSet.includes(key)
        const problem = problems[key]
        return (
          <Form.Item
            key={key}
            label={
              <span>
                {tMaybe(`messaging.config.${key}`, key)}
                {secret && (
                  <Typography.Text
                    type={isSet ? 'success' : 'secondary'}
                    style={{ marginInlineStart: 8, fontSize: 12 }}
                    data-testid={`config-${key}-state`}
                  >
                    {isSet ? t('messaging.providers.secretSet') : t('messaging.providers.secret')}
                  </Typography.Text>
                )}
              </span>
            }
            required={required && !(secret && isSet)}
            validateStatus={problem ? 'error' : undefined}
            help={problem}
            extra={s.minLength && s.minLength > 1 ? t('messaging.providers.minLength', { n: s.minLength }) : undefined}
          >
            <ConfigInput
              name={key}
              schema={s}
              secret={secret}
              isSet={isSet}
              value={draft[key]}
              onChange={(value) => onChange({ ...draft, [key]: value })}
            />
          </Form.Item>
        )
      })}
    </>
  )
}
