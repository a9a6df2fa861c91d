import { randomUUID } from 'node:crypto'
import {
  computeValue,
  emptyComputedValue,
  evaluateSegment,
  rfmBands,
  rfmMeasures,
  type RfmBands,
  type SegmentNode,
} from '@reachloop/domain'
import { sql } from 'kysely'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { knownTimeZones, loadFacts } from '../../test-support/segment-facts.js'
import { computeValues } from '../computed-properties/index.js'
import { compileComputed, compileRfmBands, compileRfmMeasures } from './computed-sql.js'
import { compileSegment } from './segment-sql.js'

import {
  COMPUTED_RUNS,
  type Dataset,
  NOW,
  RUNS,
  SEED,
  GROUP_KEYS,
  GROUP_SETUPS,
  SEGMENTS,
  SLOT_DEFINITIONS,
  TAGS,
  WORKSPACE_ZONE,
  computedDefinition,
  dataset,
  definition,
} from './segment-evaluation-generators.js'

describe('segment evaluation: SQL and in memory agree', () => {
  let t: TestDatabase
  beforeAll(async () => {
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
    // The subscription groups (messaging's tables, written here as a fixture) and their ids.
    const groupIds = new Map<string, string>()
    for (const [key, policy] of Object.entries(GROUP_SETUPS[data.groups])) {
      const id = randomUUID()
      groupIds.set(key, id)
      await sql`INSERT INTO subscription_groups (id, workspace_id, key, name, channel, policy, created_at)
        VALUES (${id}, ${workspaceId}, ${key}, ${key}, ${key.endsWith('email') ? 'email' : 'sms'}, ${policy}, ${NOW})`.execute(db)
    }
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
      for (const key of GROUP_KEYS) {
        const state = p.consents[key]
        const groupId = groupIds.get(key)
        if (state && groupId)
          await sql`INSERT INTO subscriptions (workspace_id, group_id, profile_id, state, source, changed_at)
            VALUES (${workspaceId}, ${groupId}, ${id}, ${state}, 'test', ${NOW})`.execute(db)
      }
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
        { numRuns: RUNS, seed: SEED },
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
        { numRuns: COMPUTED_RUNS, seed: SEED },
      )
    }
    expect(valued).toBeGreaterThan(1000)
  }, 240_000)
})
