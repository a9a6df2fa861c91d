import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDueJobs } from '../../test-support/run-background.js'
import { createTestApp, setupOwner, type TestApp, type TestCaller } from '../../test-support/test-app.js'

/**
 * The acceptance point of issue 13 on the embedded server: while a full RFM computation runs at
 * 50,000 profiles, `/healthz` and a console API call keep answering within 200 ms at p99 (polled
 * every 50 ms), and the computation gives the same values as the same computation run alone.
 */
const PROFILES = 50_000
const POLL_MS = 50
/**
 * The p99 latency allowed. The 200 ms is met in `npm run bench:responsiveness`, which runs
 * this file alone with RESPONSIVENESS_P99_MS=200; in the test suite, beside the other test files
 * on a loaded machine, the bound only tells a server that answers from one that freezes (PGlite
 * froze for 3.1 s).
 */
const P99_MS = Number(process.env.RESPONSIVENESS_P99_MS ?? 1500)
const RFM = {
  kind: 'rfm',
  event: 'Order Completed',
  filters: [],
  window: { type: 'last', amount: 365, unit: 'days' },
  monetaryProperty: 'total',
} as const

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0

/** Asks `ask` every `everyMs` until stopped; answers each call's latency in ms (and any non-200 status). */
function poll<A extends { statusCode: number }>(ask: () => Promise<A>, seen?: (answer: A) => void, everyMs = POLL_MS) {
  const latencies: number[] = []
  const failures: number[] = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now()
      const answer = await ask()
      latencies.push(performance.now() - started)
      if (answer.statusCode !== 200) failures.push(answer.statusCode)
      seen?.(answer)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - started))))
    }
  })()
  return {
    async stop() {
      stopped = true
      await loop
      const sorted = [...latencies].sort((a, b) => a - b)
      return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0, failures }
    },
  }
}

describe('the server stays responsive while an RFM property is computed at 50,000 profiles', () => {
  let t: TestApp
  let owner: TestCaller

  beforeAll(async () => {
    t = await createTestApp({ computeTimeoutMs: 300_000 })
    owner = await setupOwner(t.app)
    const workspaceId = owner.workspaceId ?? ''
    const now = t.clock.now()
    // Customers straight into the tables: up to 8 orders each over the last year, and a page view.
    await sql`
      INSERT INTO profiles (id, workspace_id, traits, trait_times, first_seen_at, last_seen_at, created_at, updated_at)
      SELECT gen_random_uuid(), ${workspaceId}, jsonb_build_object('n', i), '{}', ${now}, ${now}, ${now}, ${now}
      FROM generate_series(1, ${PROFILES}) AS i`.execute(t.ctx.db)
    await sql`
      INSERT INTO events (workspace_id, profile_id, message_id, type, name, properties, timestamp, received_at)
      SELECT p.workspace_id, p.id, concat('seed-', p.traits->>'n', '-', k), 'track', 'Order Completed',
             jsonb_build_object('total', 1000 + ((p.traits->>'n')::int * 37 + k * 101) % 50000),
             ${now}::timestamptz - (((p.traits->>'n')::int * 13 + k * 47) % 360) * interval '1 day', ${now}
      FROM profiles p, generate_series(1, 8) AS k
      WHERE p.workspace_id = ${workspaceId} AND k <= (p.traits->>'n')::int % 9`.execute(t.ctx.db)
    await sql`
      INSERT INTO events (workspace_id, profile_id, message_id, type, name, properties, timestamp, received_at)
      SELECT p.workspace_id, p.id, concat('view-', p.traits->>'n'), 'page', 'Home', '{}', ${now}, ${now}
      FROM profiles p WHERE p.workspace_id = ${workspaceId}`.execute(t.ctx.db)
    await sql`ANALYZE`.execute(t.ctx.db)
  }, 120_000)
  afterAll(() => t.close())

  /** Creates the RFM property (timed) and runs its computation job (timed). */
  const createAndCompute = async (name: string) => {
    const c0 = performance.now()
    const created = await owner.post('/api/v1/computed-properties', { name, definition: RFM })
    const createMs = performance.now() - c0
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().id as string
    const j0 = performance.now()
    expect(await runDueJobs(t.ctx)).toBeGreaterThan(0)
    return { id, createMs, computeMs: performance.now() - j0 }
  }
  const groupsOf = async (id: string) =>
    ((await owner.get(`/api/v1/computed-properties/${id}/distribution`)).json().groups as Array<{ value: string; profiles: number }>).sort(
      (a, b) => a.value.localeCompare(b.value),
    )

  it('answers /healthz and the console meanwhile (p99 within 200 ms in its benchmark) and computes the same values as alone', async () => {
    const alone = await createAndCompute('rfm_alone')
    const aloneGroups = await groupsOf(alone.id)
    expect(aloneGroups.reduce((n, g) => n + g.profiles, 0)).toBeGreaterThan(PROFILES * 0.8)

    const health = poll(() => t.app.inject({ method: 'GET', url: '/healthz' }))
    const console = poll(() => owner.get('/api/v1/segments'))
    // What the console's property page shows meanwhile (it asks every 2 s; here every 250 ms): the computation running.
    const states = new Set<string>()
    const progress = poll(
      () => owner.get('/api/v1/computations?kind=computed_property'),
      (answer) => {
        for (const c of answer.json().items as Array<{ state: string }>) states.add(c.state)
      },
      250,
    )
    const busy = await createAndCompute('rfm_polled')
    const [h, c, p] = await Promise.all([health.stop(), console.stop(), progress.stop()])

    const line = (what: string, f: typeof h) =>
      `${what}: ${f.n} polls, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms`
    process.stderr.write(
      `RFM at ${PROFILES} profiles: create ${alone.createMs.toFixed(0)} ms, computed alone in ${alone.computeMs.toFixed(0)} ms, ` +
        `polled in ${busy.computeMs.toFixed(0)} ms (create ${busy.createMs.toFixed(0)} ms)\n${line('/healthz', h)}\n${line('GET /api/v1/segments', c)}\n${line('GET /api/v1/computations', p)}\n`,
    )
    expect(h.failures).toEqual([])
    expect(c.failures).toEqual([])
    expect(h.n).toBeGreaterThan(3)
    expect(h.p99).toBeLessThan(P99_MS)
    expect(c.p99).toBeLessThan(P99_MS)
    expect(p.failures).toEqual([])
    expect(states).toContain('running')
    expect((await owner.get('/api/v1/computations')).json().items).toEqual([])
    expect(busy.createMs).toBeLessThan(1000)

    // The same groups, and the same value for every profile.
    expect(await groupsOf(busy.id)).toEqual(aloneGroups)
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM
        (SELECT profile_id, value FROM computed_values WHERE computed_property_id = ${alone.id}) a
        FULL JOIN (SELECT profile_id, value FROM computed_values WHERE computed_property_id = ${busy.id}) b USING (profile_id)
      WHERE a.value IS DISTINCT FROM b.value`.execute(t.ctx.db)
    expect(rows[0]?.n).toBe(0)
  }, 180_000)

  /** Backends of this test's database running a full computation. */
  const computing = async () =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND application_name LIKE 'reachloop compute %'`.execute(t.ctx.db)
    ).rows[0]?.n ?? 0
  /** Starts a computation, and once its statement runs in the database, times `save` and tells whether it answered first. */
  const timedWhileComputing = async (
    compute: () => Promise<{ statusCode: number; body: string }>,
    save: () => Promise<{ statusCode: number; body: string }>,
  ) => {
    const running = compute()
    const deadline = Date.now() + 20_000
    let started = false
    while (!(started = (await computing()) > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(started).toBe(true)
    const s0 = performance.now()
    const saved = await save()
    const saveMs = performance.now() - s0
    const stillComputing = (await computing()) > 0
    expect(saved.statusCode, saved.body).toBe(200)
    const computed = await running
    expect(computed.statusCode, computed.body).toBe(200)
    return { saveMs, stillComputing }
  }

  it('saves a property or a segment at once while it is being computed', async () => {
    const property = (await owner.post('/api/v1/computed-properties', { name: 'rfm_saved', definition: RFM })).json().id as string
    const p = await timedWhileComputing(
      () => owner.post(`/api/v1/computed-properties/${property}/compute`),
      () => owner.patch(`/api/v1/computed-properties/${property}`, { description: 'Saved while computing' }),
    )
    const segment = await owner.post('/api/v1/segments', {
      name: 'Ordered, then no order within a day',
      kind: 'dynamic',
      definition: {
        kind: 'sequence',
        first: { event: 'Order Completed', filters: [] },
        then: { event: 'Order Completed', filters: [] },
        mode: 'not_then',
        withinMinutes: 1440,
        window: { type: 'last', amount: 365, unit: 'days' },
      },
    })
    expect(segment.statusCode, segment.body).toBe(201)
    const id = segment.json().id as string
    const g = await timedWhileComputing(
      () => owner.post(`/api/v1/segments/${id}/compute`),
      () => owner.patch(`/api/v1/segments/${id}`, { description: 'Saved while computing' }),
    )
    process.stderr.write(
      `saved while computing: property ${p.saveMs.toFixed(0)} ms (computation still running: ${p.stillComputing}), ` +
        `segment ${g.saveMs.toFixed(0)} ms (still running: ${g.stillComputing})\n`,
    )
    // Answered while the computation still ran (before, each save waited for the computation's row lock).
    expect(p.stillComputing).toBe(true)
    expect(g.stillComputing).toBe(true)
  }, 120_000)
})
