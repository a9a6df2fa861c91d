import { randomUUID } from 'node:crypto'
import { COMPUTED_AGGREGATES, type ComputedDefinition, type EventWindow, type PropertyFilter, type SegmentNode } from '@reachloop/domain'
import fc from 'fast-check'
import { propertySeed } from '../../test-support/property-seed.js'

/**
 * The SQL path (compileSegment) and the in-memory path (evaluateSegment) must agree on every
 * definition and every profile: random data, random definitions, on the embedded server and on PostgreSQL.
 */
export const NOW = new Date('2026-06-15T10:00:00Z')
// The seed changes every run and is printed; `PROPERTY_SEED=<n>` replays one, `PROPERTY_RUNS=<n>` sizes the run.
export const { seed: SEED, numRuns: RUNS } = propertySeed('segment evaluation property', 700)
/** Computed properties cost more per input: 300 of them beside 700 definitions by default. */
export const COMPUTED_RUNS = Math.max(1, Math.round((RUNS * 3) / 7))
export const WORKSPACE_ZONE = 'Asia/Shanghai'
export const EVENTS = ['Order Completed', 'Store Visited', 'Coupon Redeemed']
export const TAGS = [randomUUID(), randomUUID()]
/** Slots for the computed properties each dataset's workspace gets (their ids differ per workspace). */
export const PROPERTY_SLOTS = ['slot-count', 'slot-sum', 'slot-rfm'] as const
export const RFM_SLOT = 'slot-rfm'
export const SLOT_DEFINITIONS: Record<(typeof PROPERTY_SLOTS)[number], ComputedDefinition> = {
  'slot-count': {
    kind: 'aggregate',
    event: 'Order Completed',
    filters: [],
    window: { type: 'last', amount: 5, unit: 'days' },
    aggregate: 'count',
  },
  'slot-sum': { kind: 'aggregate', event: 'Store Visited', filters: [], window: { type: 'ever' }, aggregate: 'sum', property: 'total' },
  'slot-rfm': { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' }, monetaryProperty: 'total' },
}
export const SEGMENTS = [randomUUID()]
export const SOURCES = [randomUUID(), randomUUID()]

export const pick = <T>(values: readonly T[]) => fc.constantFrom(...values)
export const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString()

// Values chosen to sit on the edges: numbers as strings, not-quite dates, zones that do not exist,
// and values of the wrong JSON type for the key.
export const DATES = [
  '1990-06-16',
  '1990-06-15',
  '1990-06-21',
  '2000-02-29',
  '2026-02-30',
  '2026-06-14T23:30:00',
  '2026-06-15T01:00:00+08:00',
  '2026-06-10T10:00:00Z',
  '2026-06-20',
  '0999-01-01',
  19900616,
] as const
export const POOLS = {
  city: ['Chongqing', 'chongqing', 'Chengdu', 'abc', '', 120, null],
  spend: [120, '120', '0012', '12.5', 12.5, 'abc', 0, 100, -5, true],
  vip: [true, false, 'true', null],
  birthday: DATES,
  labels: [['a', 'b'], ['vip'], [], 'vip', [1]],
  address: [{ city: 'Chongqing' }, { city: 'Chengdu' }, 'Chongqing', [{ city: 'Chongqing' }]],
  signup: DATES,
  total: [1, 12, 100, '12.5', 'abc', 50, 12.5, null],
  date: DATES,
  items: [['a'], ['vip', 'a'], 'vip'],
} as const
export const TRAIT_KEYS = ['city', 'spend', 'vip', 'birthday', 'labels', 'address', 'signup'] as const
/**
 * A dataset's subscription groups: none yet (the defaults' policies apply, nobody has consent
 * recorded), the defaults plus an opt-in `vip_sms`, or the same with the two marketing groups'
 * policies swapped. Conditions also name a group no workspace has.
 */
export const GROUP_SETUPS = {
  none: {},
  defaults: { marketing_email: 'opt_out', marketing_sms: 'opt_in', vip_sms: 'opt_in' },
  swapped: { marketing_email: 'opt_in', marketing_sms: 'opt_out', vip_sms: 'opt_in' },
} as const satisfies Record<string, Record<string, 'opt_in' | 'opt_out'>>
export const GROUP_KEYS = ['marketing_email', 'marketing_sms', 'vip_sms'] as const
const consentState = pick([undefined, 'opted_in', 'unsubscribed'] as const)
export const PROPERTY_KEYS = ['total', 'city', 'date', 'items'] as const
export const valuesFor = (keys: ReadonlyArray<keyof typeof POOLS>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(Object.fromEntries(keys.map((k) => [k, pick<unknown>(POOLS[k])])), { requiredKeys: [] })

export const dataset = fc.record({
  groups: pick(Object.keys(GROUP_SETUPS) as Array<keyof typeof GROUP_SETUPS>),
  profiles: fc.array(
    fc.record({
      traits: valuesFor(TRAIT_KEYS),
      timezone: pick([undefined, 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati', 'Mars/Olympus']),
      identifiers: fc.subarray(['phone', 'email', 'wechat_openid']),
      tags: fc.subarray(TAGS),
      segments: fc.subarray(SEGMENTS),
      consents: fc.record({ marketing_email: consentState, marketing_sms: consentState, vip_sms: consentState }),
      mergedFrom: fc.integer({ min: 0, max: 2 }),
      events: fc.array(
        fc.record({
          name: pick(EVENTS),
          at: fc.integer({ min: -20 * 1440, max: 60 }),
          source: pick(SOURCES),
          properties: valuesFor(PROPERTY_KEYS),
          onMerged: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
    }),
    { minLength: 15, maxLength: 30 },
  ),
})

export const window: fc.Arbitrary<EventWindow> = fc.oneof(
  fc.constant({ type: 'ever' as const }),
  fc.record({
    type: fc.constant('last' as const),
    amount: fc.integer({ min: 1, max: 15 }),
    unit: pick(['minutes', 'hours', 'days'] as const),
  }),
  fc
    .tuple(fc.integer({ min: -20 * 1440, max: 0 }), fc.integer({ min: 0, max: 10 * 1440 }))
    .map(([from, span]) => ({ type: 'between' as const, from: minutes(from), to: minutes(from + span) })),
)

export const valueTest = fc.oneof(
  fc.record({
    type: fc.constant('string' as const),
    op: pick(['equals', 'not_equals', 'contains', 'not_contains', 'starts_with'] as const),
    value: pick(['Chongqing', 'chong', 'C', 'abc', '120', 'vip']),
  }),
  fc.record({
    type: fc.constant('string' as const),
    op: pick(['in', 'not_in'] as const),
    values: fc.subarray(['Chongqing', 'Chengdu', 'abc'], { minLength: 1 }),
  }),
  fc.record({
    type: fc.constant('number' as const),
    op: pick(['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const),
    value: pick([0, 12, 12.5, 100, 120]),
  }),
  fc.record({ type: fc.constant('number' as const), op: fc.constant('between' as const), min: pick([0, 12]), max: pick([12.5, 200]) }),
  fc.record({ type: fc.constant('boolean' as const), op: pick(['is_true', 'is_false'] as const) }),
  fc.record({
    type: fc.constant('date' as const),
    op: pick(['before', 'after'] as const),
    value: pick(['2026-06-14T16:00:00Z', '1995-01-01T00:00:00Z']),
  }),
  fc.record({
    type: fc.constant('date' as const),
    op: pick(['within_last_days', 'more_than_days_ago', 'within_next_days', 'anniversary_within_next_days'] as const),
    days: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ type: fc.constant('list' as const), op: pick(['list_contains', 'list_not_contains'] as const), value: pick(['a', 'vip']) }),
  fc.record({ type: pick(['string', 'number', 'boolean', 'date', 'list'] as const), op: pick(['exists', 'not_exists'] as const) }),
)
export const filter: fc.Arbitrary<PropertyFilter> = fc
  .tuple(pick([...PROPERTY_KEYS, 'city.x']), valueTest)
  .map(([property, test]) => ({ property, ...test }) as PropertyFilter)
export const eventMatch = fc.record({ event: pick(EVENTS), filters: fc.array(filter, { maxLength: 1 }) })

export const condition: fc.Arbitrary<SegmentNode> = fc.oneof(
  fc
    .tuple(pick([...TRAIT_KEYS, 'address.city', 'timezone']), valueTest)
    .map(([trait, test]) => ({ kind: 'trait', trait, ...test }) as SegmentNode),
  fc
    .tuple(
      eventMatch,
      window,
      pick(['count', 'sum', 'avg', 'min', 'max'] as const),
      pick(['gte', 'gt', 'eq', 'lte', 'lt', 'between'] as const),
      pick([0, 1, 2, 12, 100]),
    )
    .map(
      ([m, w, aggregate, comparison, value]) =>
        ({
          kind: 'event',
          ...m,
          window: w,
          aggregate,
          ...(aggregate === 'count' ? {} : { property: 'total' }),
          comparison,
          value,
          ...(comparison === 'between' ? { max: value + 50 } : {}),
        }) as SegmentNode,
    ),
  fc
    .tuple(
      eventMatch,
      pick(['first', 'last'] as const),
      pick(['before', 'after', 'within_last_days', 'more_than_days_ago'] as const),
      fc.integer({ min: 0, max: 10 }),
    )
    .map(
      ([m, which, op, days]) =>
        ({
          kind: 'event_time',
          ...m,
          which,
          op,
          ...(op === 'before' || op === 'after' ? { at: minutes(-days * 1440) } : { days }),
        }) as SegmentNode,
    ),
  fc.record({
    kind: fc.constant('sequence' as const),
    first: eventMatch,
    then: eventMatch,
    mode: pick(['then', 'not_then'] as const),
    withinMinutes: pick([5, 60, 1440, 4 * 1440]),
    window,
  }),
  fc.record({ kind: fc.constant('tag' as const), tagId: pick(TAGS), has: fc.boolean() }),
  fc.record({ kind: fc.constant('segment' as const), segmentId: pick(SEGMENTS), member: fc.boolean() }),
  fc.record({ kind: fc.constant('identifier' as const), identifierType: pick(['phone', 'email', 'device_id']), has: fc.boolean() }),
  fc.record({ kind: fc.constant('source' as const), sourceId: pick(SOURCES), window }),
  fc.record({
    kind: fc.constant('subscription' as const),
    group: pick([...GROUP_KEYS, 'no_such_group']),
    state: pick(['subscribed', 'opted_in', 'unsubscribed'] as const),
  }),
  // Older definitions name a channel: its default group.
  fc.record({
    kind: fc.constant('subscription' as const),
    channel: pick(['sms', 'email', 'push'] as const),
    state: pick(['subscribed', 'opted_in', 'unsubscribed'] as const),
  }),
  // Computed properties by slot (each dataset's workspace has its own): a value, or a part of an RFM value.
  fc.tuple(pick(PROPERTY_SLOTS), valueTest).map(
    ([slot, test]) =>
      ({
        kind: 'computed',
        propertyId: slot,
        ...(slot === RFM_SLOT ? { part: test.type === 'string' ? 'group' : 'r' } : {}),
        ...test,
      }) as SegmentNode,
  ),
)

/** Random computed properties: every aggregate, intervals and RFM, over random windows and filters. */
export const computedDefinition: fc.Arbitrary<ComputedDefinition> = fc.oneof(
  fc
    .tuple(eventMatch, window, pick(COMPUTED_AGGREGATES), pick([undefined, 'total', 'city', 'items', 'city.x']))
    .map(([m, w, aggregate, property]) => {
      const numeric = ['sum', 'avg', 'min', 'max'].includes(aggregate)
      return { kind: 'aggregate' as const, ...m, window: w, aggregate, ...(numeric ? { property: 'total' } : property ? { property } : {}) }
    }),
  fc.tuple(eventMatch, window).map(([m, w]) => ({ kind: 'interval' as const, ...m, window: w })),
  fc.tuple(eventMatch, window).map(([m, w]) => ({ kind: 'rfm' as const, ...m, window: w, monetaryProperty: 'total' })),
)
export const definition: fc.Arbitrary<SegmentNode> = fc.letrec<{ node: SegmentNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: condition, weight: 5 },
    {
      arbitrary: fc.record({
        kind: pick(['and', 'or'] as const),
        children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
      }) as fc.Arbitrary<SegmentNode>,
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant('not' as const), child: tie('node') }) as fc.Arbitrary<SegmentNode>, weight: 1 },
  ),
})).node

export type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never
