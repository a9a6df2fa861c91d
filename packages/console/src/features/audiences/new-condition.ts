import {
  computedValueType,
  RELATIVE_DATE_OPS,
  type ComputedCondition,
  type Condition,
  type Operator,
  type RfmPart,
  type SegmentNode,
  type ValueType,
} from '@reachloop/domain'
import dayjs from 'dayjs'
import { type BuilderOptions } from './builder-options.js'

export type Group = { kind: 'and' | 'or'; children: SegmentNode[] }
export const CONDITION_KINDS = [
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
export type ConditionKind = (typeof CONDITION_KINDS)[number]

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
      return { kind: 'subscription', group: options.subscriptionGroups[0]?.key ?? 'marketing_email', state: 'subscribed' }
    case 'computed':
      return computedCondition(options.computedProperties[0])
  }
}

/**
 * A condition on a computed property (an RFM one on a part of it, the group unless said), with the
 * value type and a first test that fit the property's values.
 */
export function computedCondition(property: BuilderOptions['computedProperties'][number] | undefined, part?: RfmPart): ComputedCondition {
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
export function withOperator<T extends { type: ValueType; op: Operator }>(test: T, type: ValueType, op: Operator): T {
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
