import { OPERATORS, VALUE_TYPES, type Operator, type ValueType } from '@reachloop/domain'
import { DatePicker, Input, InputNumber, Select, Space } from 'antd'
import dayjs from 'dayjs'
import { useI18n } from '../../i18n/i18n.js'
import { withOperator } from './new-condition.js'

/** The operand inputs of a value test (a trait condition or a property filter); `choices` turns text operands into picks from a closed list. */
export function ValueTestEditor<
  T extends {
    type: ValueType
    op: Operator
    value?: string | number
    values?: string[]
    min?: string | number
    max?: string | number
    days?: number
  },
>({ test, onChange, choices }: { test: T; onChange: (next: T) => void; choices?: Array<{ value: string; label: string }> }) {
  const { t, tMaybe } = useI18n()
  const operators = (Object.keys(OPERATORS) as Operator[]).filter((op) => (OPERATORS[op] as readonly ValueType[]).includes(test.type))
  const date = (value: string | number | undefined, set: (iso: string) => void) => (
    <DatePicker showTime value={typeof value === 'string' ? dayjs(value) : null} onChange={(d) => d && set(d.toISOString())} />
  )
  return (
    <Space wrap>
      <Select
        style={{ width: 100 }}
        value={test.type}
        onChange={(type: ValueType) =>
          onChange(
            withOperator(
              test,
              type,
              (operators.includes(test.op) && (OPERATORS[test.op] as readonly ValueType[]).includes(type) ? test.op : 'exists') as Operator,
            ),
          )
        }
        options={VALUE_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
        data-testid="cond-type"
      />
      <Select
        style={{ width: 210 }}
        value={test.op}
        onChange={(op: Operator) => onChange(withOperator(test, test.type, op))}
        options={operators.map((op) => ({ value: op, label: tMaybe(`op.${op}`, op) }))}
        data-testid="cond-op"
      />
      {test.value !== undefined && test.type === 'number' && (
        <InputNumber value={Number(test.value)} onChange={(v) => onChange({ ...test, value: v ?? 0 })} data-testid="cond-value" />
      )}
      {test.value !== undefined && test.type !== 'number' && test.type !== 'date' && !choices && (
        <Input
          style={{ width: 160 }}
          value={String(test.value)}
          onChange={(e) => onChange({ ...test, value: e.target.value })}
          data-testid="cond-value"
        />
      )}
      {test.value !== undefined && test.type !== 'number' && test.type !== 'date' && choices && (
        <Select
          style={{ width: 200 }}
          value={String(test.value) || undefined}
          onChange={(value: string) => onChange({ ...test, value })}
          options={choices}
          data-testid="cond-value"
        />
      )}
      {test.value !== undefined && test.type === 'date' && date(test.value, (iso) => onChange({ ...test, value: iso }))}
      {test.values !== undefined && (
        <Select
          mode={choices ? 'multiple' : 'tags'}
          style={{ minWidth: 200 }}
          value={test.values}
          onChange={(values: string[]) => onChange({ ...test, values })}
          options={choices}
          data-testid="cond-values"
        />
      )}
      {test.min !== undefined &&
        (test.type === 'number' ? (
          <InputNumber value={Number(test.min)} onChange={(v) => onChange({ ...test, min: v ?? 0 })} />
        ) : (
          date(test.min, (iso) => onChange({ ...test, min: iso }))
        ))}
      {test.max !== undefined &&
        (test.type === 'number' ? (
          <InputNumber value={Number(test.max)} onChange={(v) => onChange({ ...test, max: v ?? 0 })} />
        ) : (
          date(test.max, (iso) => onChange({ ...test, max: iso }))
        ))}
      {test.days !== undefined && (
        <InputNumber
          min={0}
          value={test.days}
          addonAfter={t('cond.unit.days')}
          onChange={(v) => onChange({ ...test, days: v ?? 0 })}
          data-testid="cond-days"
        />
      )}
    </Space>
  )
}
