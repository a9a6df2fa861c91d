import { Type, type Static } from '@sinclair/typebox'
import { literals, Name, Scalar } from './schema-parts.js'

/** How a trait or property value is read: only values of that JSON type count. */
export const VALUE_TYPES = ['string', 'number', 'boolean', 'date', 'list'] as const
export type ValueType = (typeof VALUE_TYPES)[number]

/** Operators, and the value types each applies to. */
export const OPERATORS = {
  equals: ['string'],
  not_equals: ['string'],
  contains: ['string'],
  not_contains: ['string'],
  starts_with: ['string'],
  in: ['string'],
  not_in: ['string'],
  eq: ['number'],
  neq: ['number'],
  gt: ['number'],
  gte: ['number'],
  lt: ['number'],
  lte: ['number'],
  between: ['number', 'date'],
  is_true: ['boolean'],
  is_false: ['boolean'],
  before: ['date'],
  after: ['date'],
  within_last_days: ['date'],
  more_than_days_ago: ['date'],
  within_next_days: ['date'],
  anniversary_within_next_days: ['date'],
  list_contains: ['list'],
  list_not_contains: ['list'],
  exists: ['string', 'number', 'boolean', 'date', 'list'],
  not_exists: ['string', 'number', 'boolean', 'date', 'list'],
} as const satisfies Record<string, readonly ValueType[]>
export type Operator = keyof typeof OPERATORS
/** The operators whose outcome moves with the clock (a value that passes today may not tomorrow). */
export const RELATIVE_DATE_OPS: readonly Operator[] = [
  'within_last_days',
  'more_than_days_ago',
  'within_next_days',
  'anniversary_within_next_days',
]
export const OPERATOR_NAMES = Object.keys(OPERATORS) as Operator[]

/**
 * A test of one value (a trait, or an event property): `type` says how the value is read,
 * `op` what is asked; `value`, `values`, `min`/`max` or `days` carry the operand.
 */
export const ValueTest = {
  type: literals(VALUE_TYPES),
  op: literals(OPERATOR_NAMES),
  value: Type.Optional(Scalar),
  values: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 1000 })),
  min: Type.Optional(Scalar),
  max: Type.Optional(Scalar),
  days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36_500 })),
}

export const PropertyFilter = Type.Object({ property: Name, ...ValueTest }, { additionalProperties: false })
export type PropertyFilter = Static<typeof PropertyFilter>
