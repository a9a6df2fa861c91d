import {
  assertNever,
  OPERATORS,
  RELATIVE_DATE_OPS,
  RFM_GROUPS,
  RFM_PARTS,
  STANDARD_EVENTS,
  SUBSCRIPTION_CHANNELS,
  SUBSCRIPTION_STATES,
  VALUE_TYPES,
  type ComputedCondition,
  type ComputedDefinition,
  type Condition,
  type EventMatch,
  type EventWindow,
  type Operator,
  type PropertyFilter,
  type RfmPart,
  type SegmentNode,
  type ValueType,
} from '@reachloop/domain'
import { Button, Card, DatePicker, Input, InputNumber, Radio, Select, Space, Switch, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/i18n.js'
import { computedValueType } from './computed-values.js'

/** Choices the builder offers from the workspace: segments, tags, identifier types, sources, computed properties. */
export interface BuilderOptions {
  segments: Array<{ id: string; name: string }>
  tags: Array<{ id: string; name: string }>
  identifierTypes: string[]
  sources: Array<{ id: string; name: string }>
  computedProperties: Array<{ id: string; name: string; definition: ComputedDefinition }>
}

type Group = { kind: 'and' | 'or'; children: SegmentNode[] }
const CONDITION_KINDS = [
  'trait',
  'event',
  'event_time',
  'sequence',
  'tag',
  'segment',
  'identifier',
  'source',
  'subscription',
  'computed',
] as const
type ConditionKind = (typeof CONDITION_KINDS)[number]
const EVENT_NAMES = Object.keys(STANDARD_EVENTS)

/** A fresh condition of a kind, valid as it stands where it can be. */
export function newCondition(kind: ConditionKind, options: BuilderOptions): Condition {
  switch (kind) {
    case 'trait':
      return { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '' }
    case 'event':
      return {
        kind: 'event',
        event: 'Order Completed',
        filters: [],
        window: { type: 'last', amount: 30, unit: 'days' },
        aggregate: 'count',
        comparison: 'gte',
        value: 1,
      }
    case 'event_time':
      return { kind: 'event_time', event: 'Order Completed', filters: [], which: 'last', op: 'more_than_days_ago', days: 30 }
    case 'sequence':
      return {
        kind: 'sequence',
        first: { event: 'Product Viewed', filters: [] },
        then: { event: 'Order Completed', filters: [] },
        mode: 'not_then',
        withinMinutes: 30,
        window: { type: 'last', amount: 7, unit: 'days' },
      }
    case 'tag':
      return { kind: 'tag', tagId: options.tags[0]?.id ?? '', has: true }
    case 'segment':
      return { kind: 'segment', segmentId: options.segments[0]?.id ?? '', member: true }
    case 'identifier':
      return { kind: 'identifier', identifierType: 'phone', has: true }
    case 'source':
      return { kind: 'source', sourceId: options.sources[0]?.id ?? '', window: { type: 'last', amount: 30, unit: 'days' } }
    case 'subscription':
      return { kind: 'subscription', channel: 'sms', state: 'subscribed' }
    case 'computed':
      return computedCondition(options.computedProperties[0])
  }
}

/**
 * A condition on a computed property (an RFM one on a part of it, the group unless said), with the
 * value type and a first test that fit the property's values.
 */
function computedCondition(property: BuilderOptions['computedProperties'][number] | undefined, part?: RfmPart): ComputedCondition {
  const rfmPart = property?.definition.kind === 'rfm' ? (part ?? 'group') : undefined
  const type = property ? computedValueType(property.definition, rfmPart) : 'number'
  const base: ComputedCondition = {
    kind: 'computed',
    propertyId: property?.id ?? '',
    ...(rfmPart ? { part: rfmPart } : {}),
    type,
    op: 'exists',
  }
  if (rfmPart === 'group') return { ...withOperator(base, type, 'equals'), value: 'champions' }
  return withOperator(base, type, type === 'number' ? 'gte' : type === 'date' ? 'within_last_days' : 'exists')
}

/** Operands for a value test when its type or operator changes. */
function withOperator<T extends { type: ValueType; op: Operator }>(test: T, type: ValueType, op: Operator): T {
  const base: Record<string, unknown> = { ...test, type, op }
  for (const key of ['value', 'values', 'min', 'max', 'days']) delete base[key]
  if (['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'list_contains', 'list_not_contains'].includes(op))
    base.value = ''
  if (['eq', 'neq', 'gt', 'gte', 'lt', 'lte'].includes(op)) base.value = 0
  if (op === 'in' || op === 'not_in') base.values = []
  if (op === 'between')
    Object.assign(
      base,
      type === 'number' ? { min: 0, max: 100 } : { min: dayjs().subtract(30, 'day').toISOString(), max: dayjs().toISOString() },
    )
  if (op === 'before' || op === 'after') base.value = dayjs().startOf('day').toISOString()
  if (RELATIVE_DATE_OPS.includes(op)) base.days = 7
  return base as T
}

/** The operand inputs of a value test (a trait condition or a property filter); `choices` turns text operands into picks from a closed list. */
function ValueTestEditor<
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

export function WindowEditor({ window, onChange }: { window: EventWindow; onChange: (w: EventWindow) => void }) {
  const { t } = useI18n()
  return (
    <Space wrap>
      <Select
        style={{ width: 120 }}
        value={window.type}
        onChange={(type: EventWindow['type']) =>
          onChange(
            type === 'ever'
              ? { type }
              : type === 'last'
                ? { type, amount: 30, unit: 'days' }
                : { type, from: dayjs().subtract(30, 'day').toISOString(), to: dayjs().toISOString() },
          )
        }
        options={(['ever', 'last', 'between'] as const).map((v) => ({ value: v, label: t(`cond.window.${v}`) }))}
      />
      {window.type === 'last' && (
        <>
          <InputNumber
            min={1}
            value={window.amount}
            onChange={(v) => onChange({ ...window, amount: v ?? 1 })}
            data-testid="window-amount"
          />
          <Select
            style={{ width: 90 }}
            value={window.unit}
            onChange={(unit: 'minutes' | 'hours' | 'days') => onChange({ ...window, unit })}
            options={(['minutes', 'hours', 'days'] as const).map((u) => ({ value: u, label: t(`cond.unit.${u}`) }))}
          />
        </>
      )}
      {window.type === 'between' && (
        <DatePicker.RangePicker
          showTime
          value={[dayjs(window.from), dayjs(window.to)]}
          onChange={(range) =>
            range?.[0] && range[1] && onChange({ type: 'between', from: range[0].toISOString(), to: range[1].toISOString() })
          }
        />
      )}
    </Space>
  )
}

export function EventMatchEditor({ match, onChange }: { match: EventMatch; onChange: (m: EventMatch) => void }) {
  const { t } = useI18n()
  const setFilter = (i: number, f: PropertyFilter | null) =>
    onChange({ ...match, filters: f ? match.filters.map((x, k) => (k === i ? f : x)) : match.filters.filter((_, k) => k !== i) })
  return (
    <Space direction="vertical" size={4}>
      <Select
        showSearch
        style={{ width: 240 }}
        value={match.event}
        onChange={(event: string) => onChange({ ...match, event })}
        options={[...new Set([...EVENT_NAMES, match.event])].map((e) => ({ value: e, label: e }))}
        data-testid="cond-event"
      />
      {match.filters.map((f, i) => (
        <Space key={i} wrap>
          <Typography.Text type="secondary">{t('cond.property')}</Typography.Text>
          <Input
            style={{ width: 130 }}
            value={f.property}
            onChange={(e) => setFilter(i, { ...f, property: e.target.value })}
            data-testid="filter-property"
          />
          <ValueTestEditor test={f} onChange={(next) => setFilter(i, next)} />
          <Button size="small" type="link" onClick={() => setFilter(i, null)}>
            {t('segments.remove')}
          </Button>
        </Space>
      ))}
      <Button
        size="small"
        type="dashed"
        onClick={() => onChange({ ...match, filters: [...match.filters, { property: 'city', type: 'string', op: 'equals', value: '' }] })}
        data-testid="add-filter"
      >
        {t('cond.addFilter')}
      </Button>
    </Space>
  )
}

function ConditionEditor({
  condition,
  options,
  onChange,
}: {
  condition: Condition
  options: BuilderOptions
  onChange: (c: Condition) => void
}) {
  const { t } = useI18n()
  const body = (): ReactNode => {
    switch (condition.kind) {
      case 'trait':
        return (
          <Space wrap>
            <Input
              style={{ width: 140 }}
              value={condition.trait}
              onChange={(e) => onChange({ ...condition, trait: e.target.value })}
              placeholder={t('cond.property')}
              data-testid="cond-trait"
            />
            <ValueTestEditor test={condition} onChange={onChange} />
          </Space>
        )
      case 'event':
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
                <Input
                  style={{ width: 110 }}
                  value={condition.property ?? ''}
                  onChange={(e) => onChange({ ...condition, property: e.target.value })}
                  data-testid="cond-aggregate-property"
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
              <InputNumber value={condition.value} onChange={(v) => onChange({ ...condition, value: v ?? 0 })} data-testid="cond-count" />
              {condition.comparison === 'between' && (
                <InputNumber value={condition.max} onChange={(v) => onChange({ ...condition, max: v ?? 0 })} />
              )}
            </Space>
          </Space>
        )
      case 'event_time':
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
      case 'sequence':
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
      case 'segment':
        return (
          <Space>
            <Switch
              checked={condition.member}
              checkedChildren={t('cond.member')}
              unCheckedChildren={t('cond.notMember')}
              onChange={(member) => onChange({ ...condition, member })}
            />
            <Select
              style={{ width: 240 }}
              value={condition.segmentId || undefined}
              onChange={(segmentId: string) => onChange({ ...condition, segmentId })}
              options={options.segments.map((s) => ({ value: s.id, label: s.name }))}
              data-testid="cond-segment"
            />
          </Space>
        )
      case 'tag':
        return (
          <Space>
            <Switch
              checked={condition.has}
              checkedChildren={t('cond.has')}
              unCheckedChildren={t('cond.hasNot')}
              onChange={(has) => onChange({ ...condition, has })}
            />
            <Select
              style={{ width: 220 }}
              value={condition.tagId || undefined}
              onChange={(tagId: string) => onChange({ ...condition, tagId })}
              options={options.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
              data-testid="cond-tag"
            />
          </Space>
        )
      case 'identifier':
        return (
          <Space>
            <Switch
              checked={condition.has}
              checkedChildren={t('cond.has')}
              unCheckedChildren={t('cond.hasNot')}
              onChange={(has) => onChange({ ...condition, has })}
            />
            <Select
              style={{ width: 200 }}
              value={condition.identifierType}
              onChange={(identifierType: string) => onChange({ ...condition, identifierType })}
              options={options.identifierTypes.map((type) => ({ value: type, label: type }))}
              data-testid="cond-identifier"
            />
          </Space>
        )
      case 'source':
        return (
          <Space wrap>
            <Select
              style={{ width: 200 }}
              value={condition.sourceId || undefined}
              onChange={(sourceId: string) => onChange({ ...condition, sourceId })}
              options={options.sources.map((s) => ({ value: s.id, label: s.name }))}
            />
            <WindowEditor window={condition.window} onChange={(window) => onChange({ ...condition, window })} />
          </Space>
        )
      case 'subscription':
        return (
          <Space>
            <Select
              style={{ width: 140 }}
              value={condition.channel}
              onChange={(channel: typeof condition.channel) => onChange({ ...condition, channel })}
              options={SUBSCRIPTION_CHANNELS.map((c) => ({ value: c, label: t(`cond.channel.${c}`) }))}
              data-testid="cond-channel"
            />
            <Select
              style={{ width: 220 }}
              value={condition.state}
              onChange={(state: typeof condition.state) => onChange({ ...condition, state })}
              options={SUBSCRIPTION_STATES.map((s) => ({ value: s, label: t(`cond.subscription.${s}`) }))}
              data-testid="cond-subscription-state"
            />
          </Space>
        )
      case 'computed': {
        const property = options.computedProperties.find((p) => p.id === condition.propertyId)
        return (
          <Space wrap>
            <Select
              showSearch
              style={{ width: 200 }}
              value={condition.propertyId || undefined}
              onChange={(id: string) => onChange(computedCondition(options.computedProperties.find((p) => p.id === id)))}
              options={options.computedProperties.map((p) => ({ value: p.id, label: p.name }))}
              data-testid="cond-computed"
            />
            {property?.definition.kind === 'rfm' && (
              <Select
                style={{ width: 150 }}
                value={condition.part ?? 'group'}
                onChange={(part: RfmPart) => onChange(computedCondition(property, part))}
                options={RFM_PARTS.map((p) => ({ value: p, label: t(`rfm.part.${p}`) }))}
                data-testid="cond-part"
              />
            )}
            <ValueTestEditor
              test={condition}
              onChange={onChange}
              choices={condition.part === 'group' ? RFM_GROUPS.map((g) => ({ value: g, label: t(`rfm.group.${g}`) })) : undefined}
            />
          </Space>
        )
      }
      default:
        return assertNever(condition)
    }
  }
  return (
    <Space align="start" wrap>
      <Select
        style={{ width: 160 }}
        value={condition.kind as ConditionKind}
        onChange={(kind: ConditionKind) => onChange(newCondition(kind, options))}
        options={CONDITION_KINDS.map((k) => ({ value: k, label: t(`cond.${k}`) }))}
        data-testid="cond-kind"
      />
      {body()}
    </Space>
  )
}

/** A group of conditions (AND / OR), each item possibly negated or itself a group. */
function GroupEditor({
  group,
  options,
  onChange,
  depth,
  path,
}: {
  group: Group
  options: BuilderOptions
  onChange: (g: Group) => void
  depth: number
  path: string
}) {
  const { t } = useI18n()
  const set = (i: number, node: SegmentNode | null) =>
    onChange({ ...group, children: node ? group.children.map((c, k) => (k === i ? node : c)) : group.children.filter((_, k) => k !== i) })
  return (
    <Card size="small" style={{ background: depth % 2 ? '#fafafa' : '#fff' }} data-testid={`group-${path}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          size="small"
          value={group.kind}
          onChange={(e) => onChange({ ...group, kind: e.target.value as 'and' | 'or' })}
          optionType="button"
          options={[
            { value: 'and', label: t('segments.all') },
            { value: 'or', label: t('segments.any') },
          ]}
          data-testid={`group-kind-${path}`}
        />
        {group.children.map((child, i) => {
          const negated = child.kind === 'not'
          const inner = child.kind === 'not' ? child.child : child
          const wrap = (node: SegmentNode) => (negated ? { kind: 'not' as const, child: node } : node)
          return (
            <Space key={i} align="start" style={{ width: '100%' }} data-testid={`item-${path}-${i}`}>
              <Switch
                size="small"
                checked={negated}
                checkedChildren={t('segments.not')}
                unCheckedChildren={t('segments.not')}
                onChange={(on) => set(i, on ? { kind: 'not', child: inner } : inner)}
              />
              {inner.kind === 'and' || inner.kind === 'or' ? (
                <GroupEditor group={inner} options={options} depth={depth + 1} path={`${path}-${i}`} onChange={(g) => set(i, wrap(g))} />
              ) : inner.kind === 'not' ? (
                <Tag>NOT</Tag>
              ) : (
                <ConditionEditor condition={inner} options={options} onChange={(c) => set(i, wrap(c))} />
              )}
              <Button size="small" type="link" danger onClick={() => set(i, null)}>
                {t('segments.remove')}
              </Button>
            </Space>
          )
        })}
        <Space>
          <Button
            size="small"
            onClick={() => onChange({ ...group, children: [...group.children, newCondition('trait', options)] })}
            data-testid={`add-condition-${path}`}
          >
            {t('segments.addCondition')}
          </Button>
          {depth < 4 && (
            <Button
              size="small"
              onClick={() =>
                onChange({ ...group, children: [...group.children, { kind: 'or', children: [newCondition('event', options)] }] })
              }
              data-testid={`add-group-${path}`}
            >
              {t('segments.addGroup')}
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  )
}

/** The visual segment builder: nested groups of every condition kind, edited as a definition tree. */
export function SegmentBuilder({
  definition,
  options,
  onChange,
}: {
  definition: SegmentNode
  options: BuilderOptions
  onChange: (d: SegmentNode) => void
}) {
  const root: Group = definition.kind === 'and' || definition.kind === 'or' ? definition : { kind: 'and', children: [definition] }
  return <GroupEditor group={root} options={options} depth={0} path="root" onChange={onChange} />
}
