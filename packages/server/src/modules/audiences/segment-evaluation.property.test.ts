import { randomUUID } from 'node:crypto'
import {
  COMPUTED_AGGREGATES,
  computeValue,
  emptyComputedValue,
  evaluateSegment,
  rfmBands,
  rfmMeasures,
  type ComputedDefinition,
  type EventWindow,
  type PropertyFilter,
  type RfmBands,
  type SegmentNode,
} from '@reachloop/domain'
import { sql } from 'kysely'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { knownTimeZones, loadFacts } from './segment-facts.js'
import { computeValues } from './computed-values.js'
import { compileComputed, compileRfmBands, compileRfmMeasures, compileSegment } from './segment-sql.js'

/**
 * The SQL path (compileSegment) and the in-memory path (evaluateSegment) must agree on every
 * definition and every profile: random data, random definitions, on the embedded server and on PostgreSQL.
 */
const NOW = new Date('2026-06-15T10:00:00Z')
// The seed changes every run and is printed; `PROPERTY_SEED=<n>` replays one.
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647)
const WORKSPACE_ZONE = 'Asia/Shanghai'
const EVENTS = ['Order Completed', 'Store Visited', 'Coupon Redeemed']
const TAGS = [randomUUID(), randomUUID()]
/** Slots for the computed properties each dataset's workspace gets (their ids differ per workspace). */
const PROPERTY_SLOTS = ['slot-count', 'slot-sum', 'slot-rfm'] as const
const RFM_SLOT = 'slot-rfm'
const SLOT_DEFINITIONS: Record<(typeof PROPERTY_SLOTS)[number], ComputedDefinition> = {
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
const SEGMENTS = [randomUUID()]
const SOURCES = [randomUUID(), randomUUID()]

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values)
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString()

// Values chosen to sit on the edges: numbers as strings, not-quite dates, zones that do not exist,
// and values of the wrong JSON type for the key.
const DATES = [
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
const POOLS = {
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
  sms_subscribe: ['unsubscribed', 'opted_in', 'subscribed', 'other', 1],
} as const
const TRAIT_KEYS = ['city', 'spend', 'vip', 'birthday', 'labels', 'address', 'signup', 'sms_subscribe'] as const
const PROPERTY_KEYS = ['total', 'city', 'date', 'items'] as const
const valuesFor = (keys: ReadonlyArray<keyof typeof POOLS>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(Object.fromEntries(keys.map((k) => [k, pick<unknown>(POOLS[k])])), { requiredKeys: [] })

const dataset = fc.record({
  profiles: fc.array(
    fc.record({
      traits: valuesFor(TRAIT_KEYS),
      timezone: pick([undefined, 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati', 'Mars/Olympus']),
      identifiers: fc.subarray(['phone', 'email', 'wechat_openid']),
      tags: fc.subarray(TAGS),
      segments: fc.subarray(SEGMENTS),
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

const window: fc.Arbitrary<EventWindow> = fc.oneof(
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

const valueTest = fc.oneof(
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
const filter: fc.Arbitrary<PropertyFilter> = fc
  .tuple(pick([...PROPERTY_KEYS, 'city.x']), valueTest)
  .map(([property, test]) => ({ property, ...test }) as PropertyFilter)
const eventMatch = fc.record({ event: pick(EVENTS), filters: fc.array(filter, { maxLength: 1 }) })

const condition: fc.Arbitrary<SegmentNode> = fc.oneof(
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
    channel: pick(['sms', 'email'] as const),
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
const computedDefinition: fc.Arbitrary<ComputedDefinition> = fc.oneof(
  fc
    .tuple(eventMatch, window, pick(COMPUTED_AGGREGATES), pick([undefined, 'total', 'city', 'items', 'city.x']))
    .map(([m, w, aggregate, property]) => {
      const numeric = ['sum', 'avg', 'min', 'max'].includes(aggregate)
      return { kind: 'aggregate' as const, ...m, window: w, aggregate, ...(numeric ? { property: 'total' } : property ? { property } : {}) }
    }),
  fc.tuple(eventMatch, window).map(([m, w]) => ({ kind: 'interval' as const, ...m, window: w })),
  fc.tuple(eventMatch, window).map(([m, w]) => ({ kind: 'rfm' as const, ...m, window: w, monetaryProperty: 'total' })),
)
const definition: fc.Arbitrary<SegmentNode> = fc.letrec<{ node: SegmentNode }>((tie) => ({
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

type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never

describe('segment evaluation: SQL and in memory agree', () => {
  let t: TestDatabase
  beforeAll(async () => {
    console.log(`segment evaluation property seed ${SEED} (replay with PROPERTY_SEED=${SEED})`)
    t = await createTestDatabase()
    // The tags and segment the generated data and definitions refer to.
    const db = t.database.db
    const owner = randomUUID()
    await db.insertInto('workspaces').values({ id: owner, name: 'fixtures', created_at: NOW }).execute()
    for (const [i, id] of TAGS.entries())
      await db
        .insertInto('tags')
        .values({
          id,
          workspace_id: owner,
          group_id: null,
          name: `tag-${i}`,
          kind: 'manual',
          definition: null,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute()
    for (const id of SEGMENTS)
      await db
        .insertInto('segments')
        .values({
          id,
          workspace_id: owner,
          name: 'fixture',
          kind: 'static',
          definition: null,
          computed_at: null,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute()
  })
  afterAll(() => t.drop())

  /** Stores a generated dataset in a fresh workspace; returns the workspace id and the live profile ids. */
  async function store(data: Dataset) {
    const db = t.database.db
    const workspaceId = randomUUID()
    await db
      .insertInto('workspaces')
      .values({ id: workspaceId, name: `w-${workspaceId}`, time_zone: WORKSPACE_ZONE, created_at: NOW })
      .execute()
    const live: string[] = []
    let eventId = 0
    for (const p of data.profiles) {
      const id = randomUUID()
      live.push(id)
      const merged = Array.from({ length: p.mergedFrom }, () => randomUUID())
      const traits = p.timezone ? { ...p.traits, timezone: p.timezone } : p.traits
      await db
        .insertInto('profiles')
        .values({
          id,
          workspace_id: workspaceId,
          traits: JSON.stringify(traits),
          trait_times: '{}',
          first_seen_at: NOW,
          last_seen_at: NOW,
          created_at: NOW,
          updated_at: NOW,
          merged_into: null,
        })
        .execute()
      for (const m of merged)
        await db
          .insertInto('profiles')
          .values({
            id: m,
            workspace_id: workspaceId,
            traits: '{}',
            trait_times: '{}',
            first_seen_at: NOW,
            last_seen_at: NOW,
            created_at: NOW,
            updated_at: NOW,
            merged_into: id,
          })
          .execute()
      for (const type of p.identifiers)
        await db
          .insertInto('profile_identifiers')
          .values({ workspace_id: workspaceId, type, value: `${type}-${id}`, profile_id: id, first_seen_at: NOW })
          .execute()
      for (const tag of p.tags)
        await db.insertInto('profile_tags').values({ workspace_id: workspaceId, tag_id: tag, profile_id: id, added_at: NOW }).execute()
      for (const segment of p.segments)
        await db
          .insertInto('segment_members')
          .values({ workspace_id: workspaceId, segment_id: segment, profile_id: id, entered_at: NOW })
          .execute()
      for (const e of p.events) {
        eventId += 1
        await db
          .insertInto('events')
          .values({
            workspace_id: workspaceId,
            source_id: e.source,
            profile_id: e.onMerged && merged[0] ? merged[0] : id,
            message_id: `m-${eventId}`,
            type: 'track',
            name: e.name,
            properties: JSON.stringify(e.properties),
            traits: '{}',
            context: '{}',
            user_id: null,
            anonymous_id: null,
            timestamp: new Date(NOW.getTime() + e.at * 60_000),
            sent_at: null,
            received_at: NOW,
          })
          .execute()
      }
    }
    // The slots' computed properties, computed by SQL (their values are compared with memory below).
    const slots = new Map<string, string>()
    for (const [slot, definition] of Object.entries(SLOT_DEFINITIONS)) {
      const id = randomUUID()
      slots.set(slot, id)
      await db
        .insertInto('computed_properties')
        .values({
          id,
          workspace_id: workspaceId,
          name: slot.replace('-', '_'),
          definition: JSON.stringify(definition),
          empty_value: JSON.stringify(emptyComputedValue(definition)),
          created_at: NOW,
          updated_at: NOW,
        })
        .execute()
      await db
        .transaction()
        .execute((tx) => computeValues(tx, { id, workspaceId, definition, bands: null }, { now: NOW, timeZone: WORKSPACE_ZONE }))
    }
    return { workspaceId, live, slots }
  }

  /** A definition with its property slots replaced by the workspace's property ids. */
  const withSlots = (def: SegmentNode, slots: Map<string, string>): SegmentNode =>
    JSON.parse(JSON.stringify(def).replace(/slot-[a-z]+/g, (slot) => slots.get(slot) ?? slot)) as SegmentNode
  /** Numbers to 9 significant digits: sums and averages may add up in another order. */
  const rounded = (value: unknown): unknown =>
    typeof value === 'number'
      ? Number(value.toPrecision(9))
      : Array.isArray(value)
        ? value.map(rounded)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]))
          : value

  it('on random data and random definitions', async () => {
    const db = t.database.db
    const zones = await knownTimeZones(db)
    const context = { now: NOW.getTime(), timeZone: WORKSPACE_ZONE, isTimeZone: (z: string) => zones.has(z) }
    const checked = { definitions: 0, members: 0 }
    for (const data of fc.sample(dataset, { numRuns: 3, seed: SEED })) {
      const { workspaceId, live, slots } = await store(data)
      const facts = await loadFacts(db, workspaceId, live)
      await fc.assert(
        fc.asyncProperty(definition, async (generated) => {
          const def = withSlots(generated, slots)
          const { rows } = await compileSegment(def, { workspaceId, now: NOW, timeZone: WORKSPACE_ZONE }).execute(db)
          const bySql = new Set((rows as Array<{ id: string }>).map((r) => r.id))
          const inMemory = new Set(live.filter((id) => evaluateSegment(def, facts.get(id)!, context)))
          checked.definitions += 1
          checked.members += bySql.size
          expect([...bySql].sort()).toEqual([...inMemory].sort())
          // Restricted to some profiles (the incremental path), the answer is the same for them.
          const some = live.filter((_, i) => i % 3 === 0)
          const restricted = await compileSegment(def, { workspaceId, now: NOW, timeZone: WORKSPACE_ZONE, profileIds: some }).execute(db)
          expect((restricted.rows as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(some.filter((id) => inMemory.has(id)).sort())
        }),
        { numRuns: 700, seed: SEED + 1 },
      )
    }
    // The generator is not vacuous: many definitions matched someone.
    expect(checked.members).toBeGreaterThan(checked.definitions)
  }, 240_000)

  it('computed properties: the same values by SQL and in memory', async () => {
    const db = t.database.db
    let valued = 0
    for (const data of fc.sample(dataset, { numRuns: 2, seed: SEED + 2 })) {
      const { workspaceId, live } = await store(data)
      const facts = await loadFacts(db, workspaceId, live)
      const scope = { workspaceId, now: NOW, timeZone: WORKSPACE_ZONE }
      await fc.assert(
        fc.asyncProperty(computedDefinition, async (def) => {
          let bands: RfmBands | undefined
          if (def.kind === 'rfm') {
            bands = (await sql<RfmBands>`${compileRfmBands(compileRfmMeasures(def, scope))}`.execute(db)).rows[0]
            const measures = live.flatMap((id) => rfmMeasures(def, facts.get(id)!.events, NOW.getTime(), WORKSPACE_ZONE) ?? [])
            expect(rounded(bands)).toEqual(rounded(rfmBands(measures)))
          }
          const { rows } = await compileComputed(def, scope, bands).execute(db)
          const bySql = new Map((rows as Array<{ id: string; value: unknown }>).map((r) => [r.id, r.value]))
          if (def.kind === 'rfm') {
            // Bands taken in the same statement (a full computation) score the same.
            const fresh = (await compileComputed(def, scope, 'compute').execute(db)).rows as Array<{
              id: string
              value: unknown
              bands: RfmBands
            }>
            expect(new Map(fresh.map((r) => [r.id, r.value]))).toEqual(bySql)
            if (fresh[0]) expect(rounded(fresh[0].bands)).toEqual(rounded(bands))
          }
          for (const id of live) {
            const inMemory = computeValue(def, facts.get(id)!.events, {
              now: NOW.getTime(),
              timeZone: WORKSPACE_ZONE,
              ...(bands ? { bands } : {}),
            })
            if (inMemory !== null && inMemory !== emptyComputedValue(def)) valued += 1
            expect(rounded(bySql.get(id) ?? emptyComputedValue(def)), JSON.stringify({ def, id })).toEqual(rounded(inMemory))
          }
        }),
        { numRuns: 300, seed: SEED + 3 },
      )
    }
    expect(valued).toBeGreaterThan(1000)
  }, 240_000)
})
