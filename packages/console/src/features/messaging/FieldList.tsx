import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import type { TemplateField } from '@reachloop/domain'
import { Button, Flex, Input } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/**
 * A list of key → Liquid value pairs (an SMS template's parameters, a WeChat template's data
 * fields, a push's data), each input with a test id by its place: `{testId}-key-0`, `{testId}-value-0`.
 */
export function FieldList({
  fields,
  onChange,
  testId,
  keyPlaceholder,
  disabled,
}: {
  fields: readonly TemplateField[]
  onChange: (fields: TemplateField[]) => void
  testId: string
  keyPlaceholder?: string
  disabled?: boolean
}) {
  const { t } = useI18n()
  const change = (i: number, part: Partial<TemplateField>) => onChange(fields.map((f, at) => (at === i ? { ...f, ...part } : f)))
  return (
    <Flex vertical gap={8}>
      {fields.map((field, i) => (
        <Flex key={i} gap={8} align="center">
          <Input
            style={{ width: '35%' }}
            value={field.key}
            placeholder={keyPlaceholder ?? t('messaging.field.key')}
            onChange={(e) => change(i, { key: e.target.value })}
            disabled={disabled}
            data-testid={`${testId}-key-${i}`}
          />
          <span>→</span>
          <Input
            style={{ flex: 1, fontFamily: 'monospace' }}
            value={field.value}
            placeholder="{{ profile.first_name }}"
            onChange={(e) => change(i, { value: e.target.value })}
            disabled={disabled}
            data-testid={`${testId}-value-${i}`}
          />
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('messaging.remove')}
            onClick={() => onChange(fields.filter((_, at) => at !== i))}
            disabled={disabled}
          />
        </Flex>
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => onChange([...fields, { key: '', value: '' }])}
        disabled={disabled}
        data-testid={`${testId}-add`}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('messaging.field.add')}
      </Button>
    </Flex>
  )
}
