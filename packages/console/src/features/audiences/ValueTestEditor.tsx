import { OPERATORS, VALUE_TYPES, type Operator, type ValueType } from '@reachloop/domain'
import { DatePicker, Input, InputNumber, Select, Space } from 'antd'
import dayjs from 'dayjs'
import { useI18n, type Translate } from '../../i18n/i18n.js'
import { ValueSuggest, ValuesSuggest, type ValueSource } from './CataloguePickers.js'
import { withOperator } from './new-condition.js'

/** A value test as the editor sees it: a trait condition, a computed condition or a property filter. */
interface ValueTest {
  type: ValueType
  op: Operator
  value?: string | number
  values?: string[]
  min?: string | number
  max?: string | number
  days?: number
}
type Choices = Array<{ value: string; label: string }>

const operatorsFor = (type: ValueType) =>
  (Object.keys(OPERATORS) as Operator[]).filter((op) => (OPERATORS[op] as readonly ValueType[]).includes(type))

const dateInput = (value: string | number | undefined, set: (iso: string) => void) => (
  <DatePicker showTime value={typeof value === 'string' ? dayjs(value) : null} onChange={(d) => d && set(d.toISOString())} />
)

/** The single operand: a number, a date, free text (with the catalogue's top values of `suggest`) or (with `choices`) a pick from a closed list. */
function ValueInput<T extends ValueTest>({
  test,
  onChange,
  choices,
  suggest,
}: {
  test: T
  onChange: (next: T) => void
  choices?: Choices | undefined
  suggest?: ValueSource | undefined
}) {
  if (test.type === 'number')
    return <InputNumber value={Number(test.value)} onChange={(v) => onChange({ ...test, value: v ?? 0 })} data-testid="cond-value" />
  if (test.type === 'date') return dateInput(test.value, (iso) => onChange({ ...test, value: iso }))
  if (choices)
    return (
      <Select
        style={{ width: 200 }}
        value={String(test.value) || undefined}
        onChange={(value: string) => onChange({ ...test, value })}
        options={choices}
        data-testid="cond-value"
      />
    )
  if (suggest) return <ValueSuggest source={suggest} value={String(test.value)} onChange={(value) => onChange({ ...test, value })} />
  return (
    <Input
      style={{ width: 160 }}
      value={String(test.value)}
      onChange={(e) => onChange({ ...test, value: e.target.value })}
      data-testid="cond-value"
    />
  )
}

/**
 * The operands an operator takes: a value, a list of values, a range, or a number of days. A fragment
 * (not a component) so that each input is an item of the editor's row.
 */
function operandInputs<T extends ValueTest>(
  test: T,
  onChange: (next: T) => void,
  choices: Choices | undefined,
  t: Translate,
  suggest: ValueSource | undefined,
) {
  const text = test.type === 'string' && !choices ? suggest : undefined
  const bound = (key: 'min' | 'max') =>
    test.type === 'number' ? (
      <InputNumber value={Number(test[key])} onChange={(v) => onChange({ ...test, [key]: v ?? 0 })} />
    ) : (
      dateInput(test[key], (iso) => onChange({ ...test, [key]: iso }))
    )
  return (
    <>
      {test.value !== undefined && <ValueInput test={test} onChange={onChange} choices={choices} suggest={text} />}
      {test.values !== undefined && text && (
        <ValuesSuggest source={text} values={test.values} onChange={(values) => onChange({ ...test, values })} />
      )}
      {test.values !== undefined && !text && (
        <Select
          mode={choices ? 'multiple' : 'tags'}
          style={{ minWidth: 200 }}
          value={test.values}
          onChange={(values: string[]) => onChange({ ...test, values })}
          options={choices}
          data-testid="cond-values"
        />
      )}
      {test.min !== undefined && bound('min')}
      {test.max !== undefined && bound('max')}
      {test.days !== undefined && (
        <InputNumber
          min={0}
          value={test.days}
          addonAfter={t('cond.unit.days')}
          onChange={(v) => onChange({ ...test, days: v ?? 0 })}
          data-testid="cond-days"
        />
      )}
    </>
  )
}

/**
 * The operand inputs of a value test (a trait condition or a property filter); `choices` turns text
 * operands into picks from a closed list, `suggest` offers the catalogue's top values of that property or trait.
 */
export function ValueTestEditor<T extends ValueTest>({
  test,
  onChange,
  choices,
  suggest,
}: {
  test: T
  onChange: (next: T) => void
  choices?: Choices
  suggest?: ValueSource
}) {
  const { t, tMaybe } = useI18n()
  const operators = operatorsFor(test.type)
  // A new type keeps the operator when it applies to both, else asks whether the value exists.
  const changeType = (type: ValueType) =>
    onChange(
      withOperator(
        test,
        type,
        (operators.includes(test.op) && (OPERATORS[test.op] as readonly ValueType[]).includes(type) ? test.op : 'exists') as Operator,
      ),
    )
  return (
    <Space wrap>
      <Select
        style={{ width: 100 }}
        value={test.type}
        onChange={changeType}
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
      {operandInputs(test, onChange, choices, t, suggest)}
    </Space>
  )
}
