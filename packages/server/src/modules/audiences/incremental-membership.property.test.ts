import { randomUUID } from 'node:crypto'
import type { ComputedDefinition, ManualClock, RfmBands, SegmentNode } from '@reachloop/domain'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { settle, drainLog } from '../../test-support/run-background.js'
import { withOwnerApp, type TestCaller } from '../../test-support/test-app.js'
import { compileComputed } from './computed-sql.js'
import { compileSegment } from './segment-sql.js'
import { workspaceZone } from './workspace-zone.js'

import {
  type Op,
  PROPERTY_DEFINITIONS,
  RUNS,
  type Refs,
  SEED,
  type Who,
  definitionPool,
  last,
  op,
  stats,
} from './incremental-membership-generators.js'

describe('incremental membership equals a full computation', () => {
  const s = withOwnerApp()
  const clock = () => s.t.ctx.clock as ManualClock

  /** A workspace of its own, with a source, tags, computed properties and live segments of every kind. */
  async function setUp(owner: TestCaller, run: number) {
    const workspace = await owner.post('/api/v1/workspaces', { name: `Property ${run}` })
    expect(workspace.statusCode, workspace.body).toBe(201)
    owner.workspaceId = workspace.json().id as string
    const ok = async (res: { statusCode: number; body: string; json(): { id: string } }) => {
      expect(res.statusCode, res.body).toBeLessThan(300)
      return res.json().id
    }
    const sources = [
      await owner.post('/api/v1/sources', { name: 'App', kind: 'app' }),
      await owner.post('/api/v1/sources', { name: 'POS', kind: 'server' }),
    ].map((r) => r.json() as { id: string; writeKey: string })
    const countPropertyId = await ok(
      await owner.post('/api/v1/computed-properties', { name: 'washes_30d', definition: PROPERTY_DEFINITIONS[0] }),
    )
    const rfmPropertyId = await ok(
      await owner.post('/api/v1/computed-properties', {
        name: 'rfm',
        definition: { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' }, monetaryProperty: 'total' },
      }),
    )
    const groupId = await ok(await owner.post('/api/v1/tag-groups', { name: 'Follow-up', exclusive: true }))
    const tagId = await ok(await owner.post('/api/v1/tags', { name: 'Called back', kind: 'manual', groupId }))
    const otherTagId = await ok(await owner.post('/api/v1/tags', { name: 'Not reached', kind: 'manual', groupId }))
    const washedSegmentId = await ok(
      await owner.post('/api/v1/segments', {
        name: 'Washed twice',
        kind: 'dynamic',
        definition: {
          kind: 'event',
          event: 'Service Completed',
          filters: [],
          window: last(30),
          aggregate: 'count',
          comparison: 'gte',
          value: 2,
        },
      }),
    )
    const ruleTagId = await ok(
      await owner.post('/api/v1/tags', {
        name: 'Spender',
        kind: 'rule',
        definition: {
          kind: 'event',
          event: 'Order Completed',
          filters: [],
          window: { type: 'ever' },
          aggregate: 'sum',
          property: 'total',
          comparison: 'gte',
          value: 60,
        },
      }),
    )
    const refs: Refs = { tagId, otherTagId, ruleTagId, sourceId: sources[1]!.id, countPropertyId, rfmPropertyId, washedSegmentId }
    const pool = definitionPool(refs)
    const segmentIds: string[] = []
    for (const [i, definition] of pool.entries())
      segmentIds.push(await ok(await owner.post('/api/v1/segments', { name: `Pool ${i}`, kind: 'dynamic', definition })))
    const staticId = await ok(await owner.post('/api/v1/segments', { name: 'Uploaded', kind: 'static' }))
    await settle(s.t.ctx)
    return { workspaceId: owner.workspaceId, writeKeys: sources.map((x) => x.writeKey), refs, pool, segmentIds, staticId }
  }

  type World = Awaited<ReturnType<typeof setUp>>

  async function apply(owner: TestCaller, world: World, o: Op): Promise<void> {
    const send = (type: 'track' | 'identify', writeKey: string, w: Who | null, body: Record<string, unknown>) => {
      const ids = !w
        ? {}
        : {
            ...(w.device !== null ? { anonymousId: `device-${w.device}` } : {}),
            ...(w.user !== null || w.device === null ? { userId: `user-${w.user ?? 0}` } : {}),
          }
      return s.t.app.inject({
        method: 'POST',
        url: `/v1/${type}`,
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        payload: { ...ids, ...body },
      })
    }
    const live = async () => ((await owner.get('/api/v1/profiles?limit=200')).json().items as Array<{ id: string }>).map((p) => p.id)
    const groupId = async (key: string) =>
      ((await owner.get('/api/v1/messaging/subscription-groups')).json().items as Array<{ id: string; key: string }>).find(
        (g) => g.key === key,
      )!.id
    const nth = async (n: number) => {
      const ids = await live()
      return ids.length === 0 ? undefined : ids[n % ids.length]
    }
    switch (o.op) {
      case 'track': {
        const res = await send('track', world.writeKeys[o.other ? 1 : 0]!, o.who, {
          event: o.event,
          timestamp: new Date(clock().now().getTime() - o.ago * 60_000).toISOString(),
          properties: { total: o.total },
        })
        expect(res.statusCode, res.body).toBe(200)
        return
      }
      case 'identify': {
        const res = await send('identify', world.writeKeys[0]!, o.who, { traits: o.traits, timestamp: clock().now().toISOString() })
        expect(res.statusCode, res.body).toBe(200)
        return
      }
      case 'login': {
        const device = `login-${randomUUID()}`
        // The member has a profile (unless erased and suppressed), the visitor another: the login merges them.
        const member = await send('track', world.writeKeys[0]!, null, {
          userId: `user-${o.user}`,
          event: 'Page Viewed',
          timestamp: clock().now().toISOString(),
        })
        expect(member.statusCode, member.body).toBe(200)
        const visit = await send('track', world.writeKeys[0]!, null, {
          anonymousId: device,
          event: o.event,
          timestamp: clock().now().toISOString(),
          properties: { total: 60 },
        })
        expect(visit.statusCode, visit.body).toBe(200)
        const login = await send('identify', world.writeKeys[0]!, null, {
          anonymousId: device,
          userId: `user-${o.user}`,
          timestamp: clock().now().toISOString(),
        })
        expect(login.statusCode, login.body).toBe(200)
        return
      }
      case 'merge': {
        // From a profile without a user id (else the two user ids refuse it, mostly), into any other.
        const ids = await live()
        const withUser = new Set(
          (
            await s.t.ctx.db
              .selectFrom('profile_identifiers')
              .select('profile_id')
              .where('workspace_id', '=', world.workspaceId)
              .where('type', '=', 'user_id')
              .execute()
          ).map((r) => r.profile_id),
        )
        const anonymous = ids.filter((id) => !withUser.has(id))
        const from = anonymous[o.from % Math.max(anonymous.length, 1)]
        const others = ids.filter((id) => id !== from)
        const into = others[o.into % Math.max(others.length, 1)]
        if (!from || !into) return
        const res = await owner.post(`/api/v1/profiles/${from}/merge`, { intoProfileId: into })
        expect(res.statusCode, res.body).toBe(200)
        stats.handMerges += 1
        return
      }
      case 'erase': {
        const id = await nth(o.who)
        if (!id) return
        expect((await owner.request({ method: 'DELETE', url: `/api/v1/profiles/${id}` })).statusCode).toBe(200)
        stats.erasures += 1
        return
      }
      case 'consent': {
        const id = await nth(o.who)
        if (!id) return
        const res = await owner.request({
          method: 'PUT',
          url: `/api/v1/profiles/${id}/consents/${await groupId(o.group)}`,
          payload: { state: o.state },
        })
        expect(res.statusCode, res.body).toBe(200)
        stats.consents += 1
        return
      }
      case 'policy': {
        const res = await owner.request({
          method: 'PATCH',
          url: `/api/v1/messaging/subscription-groups/${await groupId(o.group)}`,
          payload: { policy: o.policy },
        })
        expect(res.statusCode, res.body).toBe(200)
        return
      }
      case 'tag': {
        const id = await nth(o.who)
        if (!id) return
        const tag = await owner.post(`/api/v1/tags/${o.other ? world.refs.otherTagId : world.refs.tagId}/profiles`, {
          action: o.add ? 'add' : 'remove',
          profileIds: [id],
        })
        expect(tag.statusCode, tag.body).toBe(200)
        return
      }
      case 'upload': {
        const upload = await owner.post(`/api/v1/segments/${world.staticId}/members`, {
          mode: o.replace ? 'replace' : 'append',
          identifierType: 'anonymous_id',
          values: [`device-${o.device}`],
        })
        expect(upload.statusCode, upload.body).toBe(200)
        return
      }
      case 'define': {
        // The pool's last definition refers to segment slot 4's members; it is never changed, nor given to another slot.
        const definition = world.pool[o.definition % (world.pool.length - 1)]!
        const res = await owner.request({ method: 'PATCH', url: `/api/v1/segments/${world.segmentIds[o.slot]}`, payload: { definition } })
        expect(res.statusCode, res.body).toBe(200)
        return
      }
      case 'redefine-property': {
        const res = await owner.request({
          method: 'PATCH',
          url: `/api/v1/computed-properties/${world.refs.countPropertyId}`,
          payload: { definition: PROPERTY_DEFINITIONS[o.definition % PROPERTY_DEFINITIONS.length] },
        })
        expect(res.statusCode, res.body).toBe(200)
        return
      }
      case 'drain':
        await drainLog(s.t.ctx)
    }
  }

  /** Every stored membership, size and value against a fresh full computation of the workspace. */
  async function expectExact(world: World): Promise<void> {
    const db = s.t.ctx.db
    const now = clock().now()
    const timeZone = await workspaceZone(db, world.workspaceId)
    const scope = { workspaceId: world.workspaceId, now, timeZone }
    const live = new Set(
      (
        await db
          .selectFrom('profiles')
          .select('id')
          .where('workspace_id', '=', world.workspaceId)
          .where('merged_into', 'is', null)
          .execute()
      ).map((r) => r.id),
    )
    // Values first: conditions on them read them.
    const properties = await db
      .selectFrom('computed_properties')
      .select(['id', 'workspace_id', 'definition', 'bands'])
      .where('workspace_id', '=', world.workspaceId)
      .execute()
    for (const p of properties) {
      const property = {
        id: p.id,
        workspaceId: p.workspace_id,
        definition: p.definition as ComputedDefinition,
        bands: (p.bands as RfmBands | null) ?? null,
      }
      // Incremental upkeep scores RFM against the bands of the last full computation.
      const bands = property.definition.kind === 'rfm' ? ((p.bands as RfmBands | null) ?? undefined) : undefined
      const { rows } = await compileComputed(property.definition, scope, bands).execute(db)
      const expected = new Map((rows as Array<{ id: string; value: unknown }>).map((r) => [r.id, r.value]))
      const stored = new Map(
        (await db.selectFrom('computed_values').select(['profile_id', 'value']).where('computed_property_id', '=', p.id).execute()).map(
          (r) => [r.profile_id, r.value],
        ),
      )
      expect(stored, `values of ${JSON.stringify(property.definition)}`).toEqual(expected)
    }
    // An exclusive group gives a customer one tag of it, merges included.
    const both = await db
      .selectFrom('profile_tags')
      .select('profile_id')
      .where('tag_id', 'in', [world.refs.tagId, world.refs.otherTagId])
      .groupBy('profile_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute()
    expect(both, 'customers holding two tags of an exclusive group').toEqual([])
    const audiences = [
      ...(
        await db
          .selectFrom('segments')
          .select(['id', 'name', 'kind', 'definition', 'size'])
          .where('workspace_id', '=', world.workspaceId)
          .execute()
      ).map((r) => ({ ...r, members: 'segment' as const })),
      ...(
        await db
          .selectFrom('tags')
          .select(['id', 'name', 'kind', 'definition', 'size'])
          .where('workspace_id', '=', world.workspaceId)
          .execute()
      ).map((r) => ({ ...r, members: 'tag' as const })),
    ]
    for (const a of audiences) {
      const stored = (
        a.members === 'segment'
          ? await db.selectFrom('segment_members').select('profile_id').where('segment_id', '=', a.id).execute()
          : await db.selectFrom('profile_tags').select('profile_id').where('tag_id', '=', a.id).execute()
      )
        .map((r) => r.profile_id)
        .sort()
      const where = `${a.members} ${a.name} ${JSON.stringify(a.definition)}`
      expect(Number(a.size), `size of ${where}`).toBe(stored.length)
      // Held by hand: only customers (survivors) hold it.
      for (const id of stored) expect(live.has(id), `${id} in ${where} is merged or gone`).toBe(true)
      if (!a.definition) continue
      const { rows } = await compileSegment(a.definition as SegmentNode, scope).execute(db)
      expect(stored, where).toEqual((rows as Array<{ id: string }>).map((r) => r.id).sort())
    }
  }

  it('after random sequences of changes', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => {
        const owner = s.owner
        const world = await setUp(owner, run++)
        for (const o of ops) await apply(owner, world, o)
        await settle(s.t.ctx)
        await expectExact(world)
        const db = s.t.ctx.db
        const count = async (query: Promise<{ n: string | number | bigint }>) => Number((await query).n)
        stats.members += await count(
          db
            .selectFrom('segment_members')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', world.workspaceId)
            .executeTakeFirstOrThrow(),
        )
        stats.ingestMerges += await count(
          db
            .selectFrom('profile_merges')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', world.workspaceId)
            .where('actor_label', '=', 'ingestion')
            .executeTakeFirstOrThrow(),
        )
        stats.created += await count(
          db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', world.workspaceId)
            .where('name', '=', 'Profile Created')
            .executeTakeFirstOrThrow(),
        )
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    console.log(`incremental membership property: ${RUNS} sequences, ${JSON.stringify(stats)}`)
    // Not vacuous: the sequences merged, created and erased customers and put them in segments.
    expect(stats.members).toBeGreaterThan(RUNS)
    expect(stats.handMerges).toBeGreaterThan(RUNS / 4)
    expect(stats.ingestMerges).toBeGreaterThan(0)
    expect(stats.created).toBeGreaterThan(RUNS)
    expect(stats.consents).toBeGreaterThan(0)
  }, 600_000)
})
