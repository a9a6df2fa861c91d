import type { ComputedDefinition, SegmentNode } from '@reachloop/domain'
import fc from 'fast-check'
import { propertySeed } from '../../test-support/property-seed.js'

/**
 * Membership kept up incrementally (the log consumer, deadline jobs, merges, creations) equals a
 * fresh full computation, after any sequence of changes: events for new and known customers,
 * identifies (traits, consent), merges while ingesting and by hand, erasures, tag changes and
 * definition changes. The seed changes every run and is printed; `PROPERTY_SEED=<n>` replays one.
 */
export const { seed: SEED, numRuns: RUNS } = propertySeed('incremental membership property', 15)

export const DEVICES = 8
export const USERS = 4
export const EVENTS = ['Order Completed', 'Service Completed', 'Store Visited', 'Page Viewed'] as const
// Minutes before now, on the edges of the windows below.
export const AGO = [0, 5, 59, 60, 61, 1440, 14_400, 43_199, 43_200, 43_201, 57_600] as const
export const last = (days: number) => ({ type: 'last' as const, amount: days, unit: 'days' as const })

export type Who = { device: number | null; user: number | null }
export type Op =
  | { op: 'track'; who: Who; event: (typeof EVENTS)[number]; ago: number; total: number; other: boolean }
  | { op: 'identify'; who: Who; traits: Record<string, unknown> }
  | { op: 'merge'; from: number; into: number }
  /** A new visitor does something, then logs in as a member: their profile merges into the member's. */
  | { op: 'login'; user: number; event: (typeof EVENTS)[number] }
  | { op: 'erase'; who: number }
  /** Consent set in the console (PUT /api/v1/profiles/:id/consents/:groupId). */
  | { op: 'consent'; who: number; group: 'marketing_sms' | 'marketing_email'; state: 'opted_in' | 'unsubscribed' }
  /** A group's policy changed (opt-in ↔ opt-out). */
  | { op: 'policy'; group: 'marketing_sms' | 'marketing_email'; policy: 'opt_in' | 'opt_out' }
  | { op: 'tag'; who: number; add: boolean; other: boolean }
  | { op: 'upload'; device: number; replace: boolean }
  | { op: 'define'; slot: number; definition: number }
  | { op: 'redefine-property'; definition: number }
  | { op: 'drain' }

export const who: fc.Arbitrary<Who> = fc.record({
  device: fc.option(fc.integer({ min: 0, max: DEVICES - 1 }), { nil: null }),
  user: fc.option(fc.integer({ min: 0, max: USERS - 1 }), { nil: null, freq: 1 }),
})
export const traits = fc.record(
  {
    email: fc.constantFrom('a@example.com', 'b@example.com', ''),
    city: fc.constantFrom('重庆', '北京', 'Chengdu'),
    // Consent at ingestion: messaging records it, segments read it from there.
    sms_subscribe: fc.constantFrom('unsubscribed', 'opted_in', 'subscribed'),
    email_subscribe: fc.constantFrom('unsubscribed', 'opted_in'),
    member_level: fc.constantFrom('gold', 'silver'),
  },
  { requiredKeys: [] },
)
export const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('track' as const),
      who,
      event: fc.constantFrom(...EVENTS),
      ago: fc.constantFrom(...AGO),
      total: fc.constantFrom(10, 60, 120),
      other: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('identify' as const), who, traits }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('login' as const), user: fc.nat(USERS - 1), event: fc.constantFrom(...EVENTS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('merge' as const), from: fc.nat(20), into: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('erase' as const), who: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('consent' as const),
      who: fc.nat(20),
      group: fc.constantFrom('marketing_sms' as const, 'marketing_email' as const),
      state: fc.constantFrom('opted_in' as const, 'unsubscribed' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('policy' as const),
      group: fc.constantFrom('marketing_sms' as const, 'marketing_email' as const),
      policy: fc.constantFrom('opt_in' as const, 'opt_out' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tag' as const), who: fc.nat(20), add: fc.boolean(), other: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('upload' as const), device: fc.nat(DEVICES - 1), replace: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('define' as const), slot: fc.nat(3), definition: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('redefine-property' as const), definition: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'drain' as const }) },
)

/** What the definitions refer to in each run's workspace. */
export interface Refs {
  tagId: string
  /** Another manual tag of the same exclusive group as `tagId`. */
  otherTagId: string
  ruleTagId: string
  sourceId: string
  countPropertyId: string
  rfmPropertyId: string
  washedSegmentId: string
}

/** Definitions of every condition kind, with ones an empty profile is in, and NOT. */
export function definitionPool(r: Refs): SegmentNode[] {
  const count = (
    event: string,
    window: ReturnType<typeof last> | { type: 'ever' },
    comparison: 'gte' | 'eq' | 'lt',
    value: number,
  ): SegmentNode => ({ kind: 'event', event, filters: [], window, aggregate: 'count', comparison, value })
  return [
    { kind: 'trait', trait: 'email', type: 'string', op: 'not_exists' },
    { kind: 'subscription', channel: 'sms', state: 'subscribed' },
    { kind: 'subscription', group: 'marketing_email', state: 'subscribed' },
    { kind: 'subscription', group: 'marketing_email', state: 'opted_in' },
    count('Order Completed', { type: 'ever' }, 'eq', 0),
    { kind: 'not', child: { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' } },
    count('Service Completed', last(30), 'gte', 2),
    {
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'ever' },
      aggregate: 'sum',
      property: 'total',
      comparison: 'gte',
      value: 100,
    },
    { kind: 'event_time', event: 'Order Completed', filters: [], which: 'last', op: 'within_last_days', days: 10 },
    {
      kind: 'sequence',
      first: { event: 'Store Visited', filters: [] },
      then: { event: 'Order Completed', filters: [] },
      mode: 'then',
      withinMinutes: 60,
      window: last(40),
    },
    {
      kind: 'sequence',
      first: { event: 'Store Visited', filters: [] },
      then: { event: 'Order Completed', filters: [] },
      mode: 'not_then',
      withinMinutes: 60,
      window: last(40),
    },
    { kind: 'identifier', identifierType: 'email', has: true },
    { kind: 'identifier', identifierType: 'user_id', has: false },
    { kind: 'source', sourceId: r.sourceId, window: last(30) },
    { kind: 'tag', tagId: r.tagId, has: true },
    { kind: 'tag', tagId: r.ruleTagId, has: false },
    { kind: 'computed', propertyId: r.countPropertyId, type: 'number', op: 'gte', value: 2 },
    { kind: 'computed', propertyId: r.countPropertyId, type: 'number', op: 'eq', value: 0 },
    { kind: 'computed', propertyId: r.rfmPropertyId, part: 'f', type: 'number', op: 'gte', value: 3 },
    { kind: 'trait', trait: 'member_level', type: 'string', op: 'in', values: ['gold'] },
    {
      kind: 'and',
      children: [{ kind: 'trait', trait: 'email', type: 'string', op: 'not_exists' }, count('Order Completed', { type: 'ever' }, 'lt', 1)],
    },
    {
      kind: 'or',
      children: [
        { kind: 'tag', tagId: r.tagId, has: true },
        { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '北京' },
      ],
    },
    {
      kind: 'not',
      child: {
        kind: 'or',
        children: [count('Page Viewed', last(1), 'gte', 1), { kind: 'subscription', channel: 'sms', state: 'unsubscribed' }],
      },
    },
    { kind: 'not', child: { kind: 'segment', segmentId: r.washedSegmentId, member: true } },
  ]
}

export const PROPERTY_DEFINITIONS: ComputedDefinition[] = [
  { kind: 'aggregate', event: 'Service Completed', filters: [], window: last(30), aggregate: 'count' },
  { kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'count' },
  { kind: 'aggregate', event: 'Store Visited', filters: [], window: last(40), aggregate: 'count' },
]

/** How much each kind of change happened, so a run that exercised little shows it. */
export const stats = { handMerges: 0, ingestMerges: 0, created: 0, erasures: 0, members: 0, consents: 0 }
