import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { CONSENT_TRAIT_CHANNELS, defaultGroupKey } from '../messaging/consent-traits.js'
import { Instant, literals, Name } from './schema-parts.js'
import { PropertyFilter, RELATIVE_DATE_OPS, ValueTest } from './value-test.js'

// The value tests and the checks of a definition live in files of their own; importers of this file still find them here.
export * from './value-test.js'
export * from './check-definition.js'

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
 * A profile's consent in a subscription group (messaging's consent model: the group's policy and
 * the profile's recorded state, if any). The condition names the group by `key`; older
 * definitions name a `channel` instead, which means that channel's default group (the first of
 * that channel in DEFAULT_SUBSCRIPTION_GROUPS: `sms` → `marketing_sms`). Exactly one of the two.
 * States: `subscribed` = may be reached under the group's policy (opt_out: not unsubscribed;
 * opt_in: opted in), `opted_in` = consent recorded, `unsubscribed` = consent withdrawn.
 */
export const SUBSCRIPTION_CHANNELS = CONSENT_TRAIT_CHANNELS
export const SUBSCRIPTION_STATES = ['subscribed', 'opted_in', 'unsubscribed'] as const
export const SubscriptionCondition = Type.Object(
  {
    kind: Type.Literal('subscription'),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_]+$' })),
    channel: Type.Optional(literals(SUBSCRIPTION_CHANNELS)),
    state: literals(SUBSCRIPTION_STATES),
  },
  { additionalProperties: false },
)
export type SubscriptionCondition = Static<typeof SubscriptionCondition>

/** The key of the subscription group a condition reads: its `group`, else its channel's default group. */
export const subscriptionGroupOf = (c: SubscriptionCondition): string | undefined =>
  c.group ?? (c.channel ? defaultGroupKey(c.channel) : undefined)

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

/** The subscription groups (by key) a definition reads. */
export const referencedSubscriptionGroups = (definition: SegmentNode): string[] => [
  ...new Set(conditionsOf(definition).flatMap((c) => (c.kind === 'subscription' ? (subscriptionGroupOf(c) ?? []) : []))),
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
