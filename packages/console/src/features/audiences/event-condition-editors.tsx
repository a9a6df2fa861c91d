import { type Condition } from '@reachloop/domain'
import { DatePicker, InputNumber, Radio, Select, Space } from 'antd'
import dayjs from 'dayjs'
import { useI18n } from '../../i18n/i18n.js'
import { useMoney } from '../../shared/money-context.js'
import { MoneyInput } from '../../shared/MoneyInput.js'
import { PropertyNamePicker } from './CataloguePickers.js'
import { WindowEditor } from './WindowEditor.js'
import { EventMatchEditor } from './EventMatchEditor.js'

/** How many times (or how much of a property) a profile did an event in a window. */
export function EventConditionEditor({
  condition,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'event' }>
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  const { isMoney } = useMoney()
  // A sum, average, minimum or maximum of a money property is compared in money, typed in yuan and kept in fen.
  const money = condition.aggregate !== 'count' && !!condition.property && isMoney(condition.property)
  const Amount = ({ value, set, testId }: { value: number; set: (v: number) => void; testId?: string }) =>
    money ? (
      <MoneyInput value={value} onChange={set} {...(testId ? { testId } : {})} />
    ) : (
      <InputNumber value={value} onChange={(v) => set(v ?? 0)} data-testid={testId} />
    )
  return (
    <Space direction="vertical" size={4}>
      <EventMatchEditor match={condition} onChange={(m) => onChange({ ...condition, ...m })} />
      <Space wrap>
        <WindowEditor window={condition.window} onChange={(window) => onChange({ ...condition, window })} />
        <Select
          style={{ width: 110 }}
          value={condition.aggregate}
          onChange={(aggregate: typeof condition.aggregate) =>
            onChange({
              ...condition,
              aggregate,
              ...(aggregate === 'count' ? { property: undefined } : { property: condition.property ?? 'total' }),
            } as Condition)
          }
          options={(['count', 'sum', 'avg', 'min', 'max'] as const).map((a) => ({ value: a, label: t(`cond.aggregate.${a}`) }))}
          data-testid="cond-aggregate"
        />
        {condition.aggregate !== 'count' && (
          <PropertyNamePicker
            event={condition.event}
            value={condition.property ?? ''}
            onChange={(property) => onChange({ ...condition, property })}
            testId="cond-aggregate-property"
            width={130}
          />
        )}
        <Select
          style={{ width: 90 }}
          value={condition.comparison}
          onChange={(comparison: typeof condition.comparison) =>
            onChange({ ...condition, comparison, ...(comparison === 'between' ? { max: condition.value + 10 } : {}) })
          }
          options={(['gte', 'gt', 'eq', 'lte', 'lt', 'between'] as const).map((c) => ({ value: c, label: t(`op.${c}`) }))}
          data-testid="cond-comparison"
        />
        {Amount({ value: condition.value, set: (value) => onChange({ ...condition, value }), testId: 'cond-count' })}
        {condition.comparison === 'between' && Amount({ value: condition.max ?? 0, set: (max) => onChange({ ...condition, max }) })}
      </Space>
    </Space>
  )
}

/** When a profile first or last did an event. */
export function EventTimeConditionEditor({
  condition,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'event_time' }>
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space direction="vertical" size={4}>
      <EventMatchEditor match={condition} onChange={(m) => onChange({ ...condition, ...m })} />
      <Space wrap>
        <Select
          style={{ width: 110 }}
          value={condition.which}
          onChange={(which: 'first' | 'last') => onChange({ ...condition, which })}
          options={(['first', 'last'] as const).map((w) => ({ value: w, label: t(`cond.which.${w}`) }))}
        />
        <Select
          style={{ width: 190 }}
          value={condition.op}
          onChange={(op: typeof condition.op) =>
            onChange(
              op === 'before' || op === 'after'
                ? ({ ...condition, op, at: dayjs().startOf('day').toISOString(), days: undefined } as Condition)
                : ({ ...condition, op, days: condition.days ?? 30, at: undefined } as Condition),
            )
          }
          options={(['before', 'after', 'within_last_days', 'more_than_days_ago'] as const).map((o) => ({
            value: o,
            label: t(`op.${o}`),
          }))}
        />
        {condition.at !== undefined && (
          <DatePicker showTime value={dayjs(condition.at)} onChange={(d) => d && onChange({ ...condition, at: d.toISOString() })} />
        )}
        {condition.days !== undefined && (
          <InputNumber
            min={0}
            value={condition.days}
            addonAfter={t('cond.unit.days')}
            onChange={(v) => onChange({ ...condition, days: v ?? 0 })}
          />
        )}
      </Space>
    </Space>
  )
}

/** One event, then (or not then) another within some minutes. */
export function SequenceConditionEditor({
  condition,
  onChange,
}: {
  condition: Extract<Condition, { kind: 'sequence' }>
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  return (
    <Space direction="vertical" size={4}>
      <EventMatchEditor match={condition.first} onChange={(first) => onChange({ ...condition, first })} />
      <Space wrap>
        <Radio.Group
          value={condition.mode}
          onChange={(e) => onChange({ ...condition, mode: e.target.value as 'then' | 'not_then' })}
          options={(['then', 'not_then'] as const).map((m) => ({ value: m, label: t(`cond.mode.${m}`) }))}
        />
        <InputNumber
          min={1}
          value={condition.withinMinutes}
          addonBefore={t('cond.within')}
          onChange={(v) => onChange({ ...condition, withinMinutes: v ?? 1 })}
        />
      </Space>
      <EventMatchEditor match={condition.then} onChange={(then) => onChange({ ...condition, then })} />
      <WindowEditor window={condition.window} onChange={(window) => onChange({ ...condition, window })} />
    </Space>
  )
}
