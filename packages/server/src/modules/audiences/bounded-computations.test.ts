import type { ManualClock, SegmentNode } from '@reachloop/domain'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../platform/config/config.js'
import { settle } from '../../test-support/run-background.js'
import { refreshTimeSegments } from './time-refresh.js'
import { createTestApp, setupOwner, TestCaller, type TestApp } from '../../test-support/test-app.js'

/**
 * A customer with tens of thousands of events (a bot, a shared till account) makes "viewed a product,
 * then ordered within a minute" genuinely slow: the window that pairs each view with the next order
 * is recomputed for every row of that customer, quadratic in their events.
 */
const SLOW_EVENTS = 10_000
const slowDefinition: SegmentNode = {
  kind: 'sequence',
  first: { event: 'Product Viewed', filters: [] },
  then: { event: 'Order Completed', filters: [] },
  mode: 'then',
  withinMinutes: 1,
  window: { type: 'ever' },
}
const quickDefinition: SegmentNode = { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: 'Chongqing' }

describe('previews and full computations hold the database only within bounds', () => {
  let t: TestApp
  let owner: TestCaller
  let writeKey: string
  const clock = () => t.ctx.clock as ManualClock

  /** Runs `work` with some settings changed, as if the server had been started with them. */
  const withConfig = async <T>(change: Partial<Config>, work: () => Promise<T>): Promise<T> => {
    const before = { ...t.ctx.config }
    Object.assign(t.ctx.config, change)
    try {
      return await work()
    } finally {
      Object.assign(t.ctx.config, before)
    }
  }
  /** Backends of the test database running a statement of `purpose` (`preview`, `compute`). */
  const busyBackends = async (purpose: string) =>
    (
      await sql<{
        pid: number
      }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND application_name LIKE ${`reachloop ${purpose} %`}`.execute(
        t.ctx.db,
      )
    ).rows
  const identify = (userId: string, traits: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId, traits, timestamp: clock().now().toISOString() },
    })
  const profileOf = async (userId: string) => (await owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string
  const memberIds = async (segmentId: string) =>
    ((await owner.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ id: string }>).map((m) => m.id).sort()

  beforeAll(async () => {
    t = await createTestApp({ previewTimeoutMs: 120_000, computeTimeoutMs: 120_000 })
    owner = await setupOwner(t.app)
    writeKey = (await owner.post('/api/v1/sources', { name: 'Till', kind: 'server' })).json().writeKey
    expect((await identify('till-account', { city: 'Chengdu' })).statusCode).toBe(200)
    expect((await identify('cq-1', { city: 'Chongqing' })).statusCode).toBe(200)
    await settle(t.ctx)
    // The till account's history: a view and an order every second, alternating.
    const till = await profileOf('till-account')
    await sql`
      INSERT INTO events (workspace_id, profile_id, message_id, type, name, timestamp, received_at)
      SELECT ${owner.workspaceId}, ${till}, 'till-' || i, 'track', CASE WHEN i % 2 = 0 THEN 'Product Viewed' ELSE 'Order Completed' END,
             ${clock().now()}::timestamptz - i * interval '1 second', ${clock().now()}
      FROM generate_series(1, ${SLOW_EVENTS}) AS i`.execute(t.ctx.db)
    await sql`ANALYZE events`.execute(t.ctx.db)
  })
  afterAll(() => t.close())

  /** A dynamic segment of the customers in Chongqing, computed, with what it holds. */
  const chongqingSegment = async (name: string) => {
    const created = await owner.post('/api/v1/segments', { name, kind: 'dynamic', definition: quickDefinition })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().id as string
    await settle(t.ctx)
    const before = { members: await memberIds(id), segment: (await owner.get(`/api/v1/segments/${id}`)).json() }
    expect(before.members).toEqual([await profileOf('cq-1')])
    return { id, before }
  }
  /** Gives the segment the slow definition. The computation that queues is left to its job, or dropped for a test that computes by hand. */
  const slowDown = async (id: string, job: 'queued' | 'dropped') => {
    expect((await owner.patch(`/api/v1/segments/${id}`, { definition: slowDefinition })).statusCode).toBe(200)
    if (job === 'dropped')
      await t.ctx.db
        .deleteFrom('jobs')
        .where('queue', '=', 'segments.compute')
        .where(sql<boolean>`payload ->> 'segmentId' = ${id}`)
        .execute()
  }
  /** The segment's members, size and computation time are those it had, and no entry or exit was recorded since. */
  const unchanged = async (id: string, before: { members: string[]; segment: { size: number; computedAt: string } }) => {
    expect(await memberIds(id)).toEqual(before.members)
    const now = (await owner.get(`/api/v1/segments/${id}`)).json()
    expect({ size: now.size, computedAt: now.computedAt }).toEqual({ size: before.segment.size, computedAt: before.segment.computedAt })
    const { rows } = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM membership_changes WHERE segment_id = ${id} AND change = 'exited'`.execute(t.ctx.db)
    expect(rows[0]?.n).toBe(0)
  }

  describe('a preview', () => {
    it('answers PREVIEW_TIMED_OUT, naming the limit, when it runs past PREVIEW_TIMEOUT_MS, and stops in the database', () =>
      withConfig({ previewTimeoutMs: 500 }, async () => {
        const started = Date.now()
        const answer = await owner.post('/api/v1/segments/preview', { definition: slowDefinition })
        expect(answer.statusCode, answer.body).toBe(503)
        const { error } = answer.json()
        expect(error).toMatchObject({ code: 'PREVIEW_TIMED_OUT', details: { timeoutMs: 500 } })
        expect(error.message).toContain('longer than 0.5 s')
        expect(error.message).toContain('Narrow the definition')
        expect(Date.now() - started).toBeLessThan(5000)
        expect(await busyBackends('preview')).toEqual([])
        // A definition that is quick to count previews as before.
        const quick = await owner.post('/api/v1/segments/preview', { definition: quickDefinition })
        expect(quick.statusCode, quick.body).toBe(200)
        expect(quick.json().count).toBe(1)
      }))

    it('stops in the database as soon as its client goes away', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
      const left = new AbortController()
      const answer = fetch(`${address}/api/v1/segments/preview`, {
        method: 'POST',
        signal: left.signal,
        headers: { cookie: owner.credentials.cookie ?? '', 'x-workspace-id': owner.workspaceId ?? '', 'content-type': 'application/json' },
        body: JSON.stringify({ definition: slowDefinition }),
      }).then(
        (response) => `answered ${response.status}`,
        (error: Error) => error.name,
      )
      await expect.poll(() => busyBackends('preview'), { timeout: 10_000, interval: 50 }).toHaveLength(1)
      const [backend] = await busyBackends('preview')
      left.abort()
      expect(await answer).toBe('AbortError')
      // The backend that was counting is no longer running the preview's statement (it would for seconds more);
      // back in the pool, it may be the one answering this very lookup.
      const stillCounting = async () =>
        (
          await sql<{
            pid: number
          }>`SELECT pid FROM pg_stat_activity WHERE pid = ${backend?.pid} AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE ${'%WITH target AS MATERIALIZED%'}`.execute(
            t.ctx.db,
          )
        ).rows
      await expect.poll(stillCounting, { timeout: 1000, interval: 50 }).toEqual([])
      expect(await busyBackends('preview')).toEqual([])
    })
  })

  describe('a full computation', () => {
    it('can be cancelled by an operator: it rolls back, answers COMPUTATION_CANCELLED, and the members stay as they were', async () => {
      const { id, before } = await chongqingSegment('Chongqing, cancelled')
      await slowDown(id, 'dropped')
      const computing = owner.post(`/api/v1/segments/${id}/compute`)
      await expect.poll(() => busyBackends('compute'), { timeout: 10_000, interval: 50 }).toHaveLength(1)
      const cancel = await owner.post(`/api/v1/segments/${id}/compute/cancel`)
      expect(cancel.statusCode, cancel.body).toBe(200)
      expect(cancel.json()).toEqual({ cancelled: true })
      const answer = await computing
      expect(answer.statusCode, answer.body).toBe(409)
      expect(answer.json().error.code).toBe('COMPUTATION_CANCELLED')
      expect(await busyBackends('compute')).toEqual([])
      await unchanged(id, before)
      // The cancel is audited; the computation left no audit entry, as it left nothing else.
      const actions = (await t.ctx.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()).map(
        (a) => a.action,
      )
      expect(actions).toEqual(['segment.create', 'segment.update', 'segment.compute_cancel'])
      // Nothing is running any more: a second cancel finds nothing to stop.
      expect((await owner.post(`/api/v1/segments/${id}/compute/cancel`)).json()).toEqual({ cancelled: false })
    })

    it('run by its job can be cancelled too, and the job is not retried', async () => {
      const { id, before } = await chongqingSegment('Chongqing, job cancelled')
      await slowDown(id, 'queued')
      const jobs = settle(t.ctx)
      await expect.poll(() => busyBackends('compute'), { timeout: 10_000, interval: 50 }).toHaveLength(1)
      expect((await owner.post(`/api/v1/segments/${id}/compute/cancel`)).json()).toEqual({ cancelled: true })
      await jobs
      await unchanged(id, before)
      const job = await t.ctx.db
        .selectFrom('jobs')
        .select('state')
        .where('queue', '=', 'segments.compute')
        .where(sql<boolean>`payload ->> 'segmentId' = ${id}`)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(job.state).toBe('done')
    })

    it('stops past COMPUTE_TIMEOUT_MS with COMPUTATION_TIMED_OUT, keeping nothing', async () => {
      const { id, before } = await chongqingSegment('Chongqing, timed out')
      await slowDown(id, 'dropped')
      await withConfig({ computeTimeoutMs: 500 }, async () => {
        const answer = await owner.post(`/api/v1/segments/${id}/compute`)
        expect(answer.statusCode, answer.body).toBe(503)
        expect(answer.json().error).toMatchObject({ code: 'COMPUTATION_TIMED_OUT', details: { timeoutMs: 500 } })
        expect(answer.json().error.message).toContain('longer than 0.5 s')
      })
      expect(await busyBackends('compute')).toEqual([])
      await unchanged(id, before)
    })

    it('run by the time refresh (a sliding window) stops past COMPUTE_TIMEOUT_MS too, keeping nothing, and the refresh goes on', async () => {
      const { id, before } = await chongqingSegment('Chongqing, refreshed')
      const other = await chongqingSegment('Chongqing, refreshed quickly')
      // Slow, and moving with time: the refresh recomputes it in full.
      expect(
        (
          await owner.patch(`/api/v1/segments/${id}`, {
            definition: { ...slowDefinition, window: { type: 'last', amount: 3650, unit: 'days' } },
          })
        ).statusCode,
      ).toBe(200)
      await t.ctx.db.deleteFrom('jobs').where('queue', '=', 'segments.compute').execute()
      expect(
        (
          await owner.patch(`/api/v1/segments/${other.id}`, {
            definition: {
              kind: 'event',
              event: 'Order Completed',
              filters: [],
              window: { type: 'last', amount: 1, unit: 'days' },
              aggregate: 'count',
              comparison: 'gte',
              value: 1,
            },
          })
        ).statusCode,
      ).toBe(200)
      await t.ctx.db.deleteFrom('jobs').where('queue', '=', 'segments.compute').execute()
      await withConfig({ computeTimeoutMs: 500 }, () => refreshTimeSegments(t.ctx))
      expect(await busyBackends('compute')).toEqual([])
      await unchanged(id, before)
      // The quick one after it was refreshed: cq-1 has no order in the last day and left; the till account, all orders, entered.
      expect(await memberIds(other.id)).toEqual([await profileOf('till-account')])
    })

    it('cannot be cancelled from another workspace', async () => {
      const { id } = await chongqingSegment('Chongqing, elsewhere')
      const other = (await owner.post('/api/v1/workspaces', { name: 'Elsewhere' })).json()
      const outsider = new TestCaller(t.app, owner.credentials, other.id)
      const cancel = await outsider.post(`/api/v1/segments/${id}/compute/cancel`)
      expect(cancel.statusCode).toBe(404)
      expect(cancel.json().error.code).toBe('SEGMENT_NOT_FOUND')
    })
  })
})
