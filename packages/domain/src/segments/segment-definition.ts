import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { parseIsoInstant } from '../time/instant-range.js'
import { definitionDepthProblem, MAX_DEFINITION_CONDITIONS } from './definition-depth.js'

const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })
const Name = Type.String({ minLength: 1, maxLength: 200 })
const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number()])
const Instant = Type.String({ format: 'date-time' })

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

/** Which events count: ever, the last N minutes/hours/days, or between two instants. */
export const EventWindow = Type.Union([
  Type.Object({ type: Type.Literal('ever') }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('last'),
      amount: Type.Integer({ minimum: 1, maximum: 100_000 }),
      unit: literals(['minutes', 'hours', 'days'] as const),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('between'), from: Instant, to: Instant }, { additionalProperties: false }),
])
export type EventWindow = Static<typeof EventWindow>

/** An event name with filters on its properties. */
export const EventMatch = Type.Object(
  { event: Name, filters: Type.Array(PropertyFilter, { maxItems: 20 }) },
  { additionalProperties: false },
)
export type EventMatch = Static<typeof EventMatch>

export const COMPARISONS = ['gte', 'gt', 'eq', 'lte', 'lt', 'between'] as const
export type Comparison = (typeof COMPARISONS)[number]
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const
export type Aggregate = (typeof AGGREGATES)[number]

export const TraitCondition = Type.Object({ kind: Type.Literal('trait'), trait: Name, ...ValueTest }, { additionalProperties: false })
export type TraitCondition = Static<typeof TraitCondition>

/**
 * Performed an event (with filters) within a window, measured: how many times, or the sum / average
 * / minimum / maximum of a numeric property, compared with `value` (and `max` for between).
 * No events count as 0 for count and sum, and as nothing for the others.
 */
export const EventCondition = Type.Object(
  {
    kind: Type.Literal('event'),
    ...EventMatch.properties,
    window: EventWindow,
    aggregate: literals(AGGREGATES),
    property: Type.Optional(Name),
    comparison: literals(COMPARISONS),
    value: Type.Number(),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
)
export type EventCondition = Static<typeof EventCondition>

/** When the first or last such event happened: before/after an instant, within / more than N days ago. */
export const EventTimeCondition = Type.Object(
  {
    kind: Type.Literal('event_time'),
    ...EventMatch.properties,
    which: literals(['first', 'last'] as const),
    op: literals(['before', 'after', 'within_last_days', 'more_than_days_ago'] as const),
    at: Type.Optional(Instant),
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36_500 })),
  },
  { additionalProperties: false },
)
export type EventTimeCondition = Static<typeof EventTimeCondition>

/**
 * Did A then B within T (`then`), or did A and not B within T after it (`not_then`: true once T has
 * passed after an A with no B in [A, A + T)). A is looked for within `window`.
 */
export const SequenceCondition = Type.Object(
  {
    kind: Type.Literal('sequence'),
    first: EventMatch,
    then: EventMatch,
    mode: literals(['then', 'not_then'] as const),
    withinMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
    window: EventWindow,
  },
  { additionalProperties: false },
)
export type SequenceCondition = Static<typeof SequenceCondition>

export const TagCondition = Type.Object(
  { kind: Type.Literal('tag'), tagId: Type.String({ format: 'uuid' }), has: Type.Boolean() },
  { additionalProperties: false },
)
export type TagCondition = Static<typeof TagCondition>
export const SegmentMembershipCondition = Type.Object(
  { kind: Type.Literal('segment'), segmentId: Type.String({ format: 'uuid' }), member: Type.Boolean() },
  { additionalProperties: false },
)
export type SegmentMembershipCondition = Static<typeof SegmentMembershipCondition>
export const IdentifierCondition = Type.Object(
  { kind: Type.Literal('identifier'), identifierType: Name, has: Type.Boolean() },
  { additionalProperties: false },
)
export type IdentifierCondition = Static<typeof IdentifierCondition>
/** Sent events through a source (a channel) within a window. */
export const SourceCondition = Type.Object(
  { kind: Type.Literal('source'), sourceId: Type.String({ format: 'uuid' }), window: EventWindow },
  { additionalProperties: false },
)
export type SourceCondition = Static<typeof SourceCondition>

/**
 * Subscription state on a channel, kept Braze-style in the trait `<channel>_subscribe`:
 * `opted_in`, `subscribed` (the default when the trait is absent) or `unsubscribed`.
 * `subscribed` matches everyone who may be reached (opted in or not unsubscribed).
 */
export const SUBSCRIPTION_CHANNELS = ['email', 'sms', 'push', 'wechat', 'wecom'] as const
export const SUBSCRIPTION_STATES = ['subscribed', 'opted_in', 'unsubscribed'] as const
export const SubscriptionCondition = Type.Object(
  { kind: Type.Literal('subscription'), channel: literals(SUBSCRIPTION_CHANNELS), state: literals(SUBSCRIPTION_STATES) },
  { additionalProperties: false },
)
export type SubscriptionCondition = Static<typeof SubscriptionCondition>
/** The trait holding a channel's subscription state. */
export const subscriptionTrait = (channel: SubscriptionCondition['channel']) => `${channel}_subscribe`

/** The parts of an RFM value a condition can test. */
export const RFM_PARTS = ['group', 'score', 'r', 'f', 'm', 'recency_days', 'frequency', 'monetary'] as const
export type RfmPart = (typeof RFM_PARTS)[number]

/** A computed property's value (for RFM, one part of it) tested like a trait. */
export const ComputedCondition = Type.Object(
  { kind: Type.Literal('computed'), propertyId: Type.String({ format: 'uuid' }), part: Type.Optional(literals(RFM_PARTS)), ...ValueTest },
  { additionalProperties: false },
)
export type ComputedCondition = Static<typeof ComputedCondition>

export type Condition =
  | TraitCondition
  | EventCondition
  | EventTimeCondition
  | SequenceCondition
  | TagCondition
  | SegmentMembershipCondition
  | IdentifierCondition
  | SourceCondition
  | SubscriptionCondition
  | ComputedCondition
export type SegmentNode =
  { kind: 'and'; children: SegmentNode[] } | { kind: 'or'; children: SegmentNode[] } | { kind: 'not'; child: SegmentNode } | Condition

/** A segment definition: a tree of AND / OR / NOT over conditions. */
export const SegmentNode = Type.Recursive((Node) =>
  Type.Union([
    Type.Object({ kind: Type.Literal('and'), children: Type.Array(Node, { maxItems: 50 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('or'), children: Type.Array(Node, { maxItems: 50 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('not'), child: Node }, { additionalProperties: false }),
    TraitCondition,
    EventCondition,
    EventTimeCondition,
    SequenceCondition,
    TagCondition,
    SegmentMembershipCondition,
    IdentifierCondition,
    SourceCondition,
    SubscriptionCondition,
    ComputedCondition,
  ]),
) as unknown as TSchema & { static: SegmentNode }

/** A problem with a definition: where (a JSON path such as `children.1.value`) and what. */
export interface DefinitionProblem {
  path: string
  message: string
}

// An instant both JavaScript and PostgreSQL read alike: ISO 8601, a real day, years 0001–9999.
const isInstant = (value: unknown) => parseIsoInstant(value) !== null
const INSTANT_NEEDED = 'an ISO date-time between the years 0001 and 9999'

function checkValueTest(
  test: {
    type: ValueType
    op: Operator
    value?: string | number
    values?: string[]
    min?: string | number
    max?: string | number
    days?: number
  },
  path: string,
  problems: DefinitionProblem[],
): void {
  const at = (field: string) => (path ? `${path}.${field}` : field)
  const allowed: readonly ValueType[] = OPERATORS[test.op]
  if (!allowed.includes(test.type)) problems.push({ path: at('op'), message: `${test.op} does not apply to a ${test.type} value` })
  const need = (field: 'value' | 'values' | 'min' | 'max' | 'days', ok: boolean, what: string) => {
    if (!ok) problems.push({ path: at(field), message: `${test.op} needs ${what}` })
  }
  switch (test.op) {
    case 'equals':
    case 'not_equals':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'list_contains':
    case 'list_not_contains':
      need('value', typeof test.value === 'string' && test.value.length > 0, 'a text value')
      break
    case 'in':
    case 'not_in':
      need('values', Array.isArray(test.values) && test.values.length > 0, 'a list of values')
      break
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      need('value', typeof test.value === 'number', 'a number')
      break
    case 'between':
      if (test.type === 'number') {
        need('min', typeof test.min === 'number', 'a number')
        need('max', typeof test.max === 'number', 'a number')
      } else {
        need('min', isInstant(test.min), INSTANT_NEEDED)
        need('max', isInstant(test.max), INSTANT_NEEDED)
      }
      break
    case 'before':
    case 'after':
      need('value', isInstant(test.value), INSTANT_NEEDED)
      break
    case 'within_last_days':
    case 'more_than_days_ago':
    case 'within_next_days':
      need('days', typeof test.days === 'number', 'a number of days')
      break
    case 'anniversary_within_next_days':
      need('days', typeof test.days === 'number' && test.days <= 366, 'a number of days up to 366')
      break
    default:
      break
  }
}

export function checkWindow(window: EventWindow, path: string, problems: DefinitionProblem[]): void {
  if (window.type !== 'between') return
  const at = (field: string) => (path ? `${path}.${field}` : field)
  const [from, to] = [parseIsoInstant(window.from), parseIsoInstant(window.to)]
  if (from === null) problems.push({ path: at('from'), message: `needs ${INSTANT_NEEDED}` })
  if (to === null) problems.push({ path: at('to'), message: `needs ${INSTANT_NEEDED}` })
  if (from !== null && to !== null && from > to) problems.push({ path: at('from'), message: 'from must not be after to' })
}

/** Checks the property filters of an event match (at `path`). */
export function checkEventMatch(match: EventMatch, path: string, problems: DefinitionProblem[]): void {
  match.filters.forEach((f, i) => checkValueTest(f, path ? `${path}.filters.${i}` : `filters.${i}`, problems))
}

/**
 * Checks what the schema cannot: operators against value types, operands present, depth and size.
 * An empty list means the definition can be saved.
 */
export function checkDefinition(definition: SegmentNode): DefinitionProblem[] {
  const tooDeep = definitionDepthProblem(definition)
  if (tooDeep) return [tooDeep]
  const problems: DefinitionProblem[] = []
  let conditions = 0
  // Recursion is bounded now: no node is deeper than MAX_DEFINITION_DEPTH.
  const walk = (node: SegmentNode, path: string) => {
    const at = (key: string) => (path ? `${path}.${key}` : key)
    switch (node.kind) {
      case 'and':
      case 'or':
        if (node.children.length === 0) problems.push({ path: at('children'), message: 'a group needs at least one condition' })
        node.children.forEach((child, i) => walk(child, at(`children.${i}`)))
        return
      case 'not':
        walk(node.child, at('child'))
        return
      default:
        conditions += 1
    }
    switch (node.kind) {
      case 'trait':
      case 'computed':
        checkValueTest(node, path, problems)
        break
      case 'event':
        checkEventMatch(node, path, problems)
        checkWindow(node.window, at('window'), problems)
        if (node.aggregate !== 'count' && !node.property)
          problems.push({ path: at('property'), message: `${node.aggregate} needs a numeric property` })
        if (node.comparison === 'between' && (node.max === undefined || node.max < node.value))
          problems.push({ path: at('max'), message: 'between needs a max not below value' })
        break
      case 'event_time':
        checkEventMatch(node, path, problems)
        if ((node.op === 'before' || node.op === 'after') && !isInstant(node.at))
          problems.push({ path: at('at'), message: `${node.op} needs ${INSTANT_NEEDED}` })
        if ((node.op === 'within_last_days' || node.op === 'more_than_days_ago') && node.days === undefined)
          problems.push({ path: at('days'), message: `${node.op} needs a number of days` })
        break
      case 'sequence':
        checkEventMatch(node.first, at('first'), problems)
        checkEventMatch(node.then, at('then'), problems)
        checkWindow(node.window, at('window'), problems)
        break
      case 'source':
        checkWindow(node.window, at('window'), problems)
        break
      default:
        break
    }
  }
  walk(definition, '')
  if (conditions > MAX_DEFINITION_CONDITIONS)
    problems.push({ path: 'definition', message: `at most ${MAX_DEFINITION_CONDITIONS} conditions` })
  return problems
}

/** Every condition of a definition, depth first. */
export function conditionsOf(definition: SegmentNode): Condition[] {
  switch (definition.kind) {
    case 'and':
    case 'or':
      return definition.children.flatMap(conditionsOf)
    case 'not':
      return conditionsOf(definition.child)
    default:
      return [definition]
  }
}

/** The segments a definition refers to (their membership must be computed first, and cycles refused). */
export const referencedSegments = (definition: SegmentNode): string[] => [
  ...new Set(conditionsOf(definition).flatMap((c) => (c.kind === 'segment' ? [c.segmentId] : []))),
]

/** The computed properties a definition refers to. */
export const referencedComputedProperties = (definition: SegmentNode): string[] => [
  ...new Set(conditionsOf(definition).flatMap((c) => (c.kind === 'computed' ? [c.propertyId] : []))),
]

/**
 * Whether membership can change with time alone (a sliding window, a relative date, a sequence
 * waiting for its deadline): such segments are re-evaluated on a schedule, not only on events.
 */
export function changesWithTime(definition: SegmentNode): boolean {
  return conditionsOf(definition).some((c) => {
    switch (c.kind) {
      case 'trait':
      case 'computed':
        // A computed value that slides with time is refreshed with its property, which re-evaluates the segment.
        return RELATIVE_DATE_OPS.includes(c.op)
      case 'event':
      case 'source':
        return c.window.type === 'last' || (c.kind === 'event' && c.filters.some((f) => RELATIVE_DATE_OPS.includes(f.op)))
      case 'event_time':
        return c.op === 'within_last_days' || c.op === 'more_than_days_ago'
      case 'sequence':
        return c.mode === 'not_then' || c.window.type === 'last'
      default:
        return false
    }
  })
}
