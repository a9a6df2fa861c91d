/**
 * The delivery pipeline at volume (issue 14). Against a local webhook provider (an HTTP server in
 * this process that answers 200 and drops a repeated Idempotency-Key, as the key asks):
 *
 * 1. On each engine (embedded PostgreSQL, and PostgreSQL at DATABASE_URL): MESSAGES customers
 *    (default 100,000) come in through the tracking API, a dynamic segment finds them, and a
 *    marketing broadcast (consent, caps and the blocklist checked for each) sends one message to
 *    each — the path an operator takes, on a `reachloop start` process.
 * 2. On PostgreSQL: BROADCAST_PROFILES customers (default 1,000,000) loaded straight into the
 *    tables and put in a static segment, and the same broadcast to them.
 *
 * Prints messages/s (sent ÷ the time from the broadcast's start to its last send), p50 / p99
 * queue-to-sent latency (each message's sent_at − its due time), peak RSS and PSS of Reachloop and
 * (on the embedded engine) its PostgreSQL — RSS counts the shared buffers once per PostgreSQL
 * process, PSS shares them out — and checks every status was recorded: one attempt row and
 * one Message Sent event per sent message, and exactly one delivery per message at the provider.
 * Targets on PostgreSQL, 2 cores: ≥ 1,000 messages/s; the 1M broadcast sent in under 10 minutes.
 * Options: ENGINES (embedded,postgres), MESSAGES, BROADCAST_PROFILES (0 skips part 2), WORKER_CONCURRENCY,
 * CPU_PROFILE=<dir> (writes the server's V8 CPU profile there, to see where the time goes).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { sql } from 'kysely'
import { AdminApi } from './support/admin-api.js'
import { openEngineDatabase } from './support/engine-database.js'
import { engineEnv, isBenchEngine, memoryRoots, type EngineEnv } from './support/engine-env.js'
import { sampleMemory } from './support/process-memory.js'
import { endAllProcesses, startServer, stopServer, type ServerProcess } from './support/reachloop-process.js'
import { renderTable } from './support/report-table.js'

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const MESSAGES = Number(process.env.MESSAGES ?? 100_000)
const BROADCAST_PROFILES = Number(process.env.BROADCAST_PROFILES ?? 1_000_000)
const ENGINES = (process.env.ENGINES ?? 'embedded,postgres').split(',').filter(isBenchEngine)
const OWNER = { email: 'bench@example.com', password: 'bench-password-1', workspace: 'Bench' }

interface Figures {
  run: string
  messages: number
  sent: number
  seconds: number
  perSecond: number
  p50: number
  p99: number
  rssMb: number
  pssMb: number
  recorded: string
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** The provider: answers 200 at once, counts deliveries per idempotency key. */
async function startReceiver() {
  const keys = new Map<string, number>()
  let requests = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      requests++
      const key = String(req.headers['idempotency-key'])
      keys.set(key, (keys.get(key) ?? 0) + 1)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    keys,
    requests: () => requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

async function must<T>(api: AdminApi, method: string, path: string, body?: unknown): Promise<T> {
  const a = await api.call<T>(method, path, body)
  if (a.timedOut || a.status >= 300)
    throw new Error(`${method} ${path}: ${a.timedOut ? 'timed out' : `${a.status} ${JSON.stringify(a.body)}`}`)
  return a.body
}

/** A marketing webhook template, published, and the rules set for a bench (no quiet hours: the bench may run at night in Shanghai). */
async function prepareWorkspace(api: AdminApi, receiverUrl: string): Promise<string> {
  await must(api, 'POST', '/api/v1/messaging/providers', {
    kind: 'webhook',
    name: 'Bench hook',
    config: { baseUrl: receiverUrl, signingSecret: 'bench-signing-secret-123' },
  })
  await must(api, 'PUT', '/api/v1/messaging/settings', {
    quietHours: { enabled: false, start: '21:00', end: '08:00', action: 'delay' },
    caps: [{ channel: 'all', max: 3, per: 'rolling_24h' }],
  })
  const t = await must<{ id: string }>(api, 'POST', '/api/v1/messaging/templates', {
    name: 'Winter',
    category: 'marketing',
    draft: { channel: 'webhook', body: '{"name": "{{ profile.name }}", "offer": "8折"}' },
  })
  await must(api, 'POST', `/api/v1/messaging/templates/${t.id}/publish`)
  return t.id
}

/** Customers through the tracking API, 500 identify calls a batch, 4 clients. */
async function ingestCustomers(url: string, writeKey: string, n: number): Promise<void> {
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < n) {
        const from = next
        next += 500
        const batch = Array.from({ length: Math.min(500, n - from) }, (_, k) => ({
          type: 'identify',
          userId: `bench-${from + k}`,
          messageId: `bench-${from + k}`,
          traits: { name: `客户${from + k}`, cohort: 'winter' },
        }))
        const res = await fetch(`${url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ batch }),
        })
        if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`)
      }
    }),
  )
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 1000))
  }
}

type Run = { state: string; progress: number; audienceSize: number }

/** Runs a broadcast to the segment and measures it from the database once it completes. */
async function measureBroadcast(
  run: string,
  environment: EngineEnv,
  api: AdminApi,
  receiver: Receiver,
  templateId: string,
  segmentId: string,
  roots: () => number[],
  expected: number,
): Promise<Figures> {
  const memory = sampleMemory(roots, 500)
  const started = Date.now()
  const b = await must<{ id: string }>(api, 'POST', '/api/v1/broadcasts', {
    name: `${run} ${started}`,
    templateId,
    segmentId,
    schedule: { kind: 'now' },
  })
  let last = -1
  await waitFor(
    `${run} to complete`,
    async () => {
      const r = (await must<{ runs: Run[] }>(api, 'GET', `/api/v1/broadcasts/${b.id}`)).runs[0]
      if (r && Math.floor(r.progress / 10) !== last) {
        last = Math.floor(r.progress / 10)
        console.log(`  ${run}: ${r.progress.toFixed(1)} % of ${r.audienceSize} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
      }
      return r?.state === 'completed'
    },
    40 * 60_000,
  )
  const peak = memory.stop()
  const database = await openEngineDatabase(environment)
  try {
    const { rows } = await sql<{
      sent: number
      n: number
      first: Date
      last: Date
      p50: number
      p99: number
      attempts: number
      events: number
    }>`
      SELECT count(*) FILTER (WHERE m.status = 'sent')::int AS sent, count(*)::int AS n, min(m.queued_at) AS first, max(m.sent_at) AS last,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - m.not_before) * 1000) AS p50,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - m.not_before) * 1000) AS p99,
        (SELECT count(*)::int FROM message_attempts a JOIN messages x ON x.id = a.message_id JOIN broadcast_runs r2 ON r2.id = x.run_id WHERE r2.broadcast_id = ${b.id}::uuid AND a.outcome = 'sent') AS attempts,
        (SELECT count(*)::int FROM events e WHERE e.name = 'Message Sent' AND e.properties->>'broadcast_id' = ${b.id}) AS events
      FROM messages m JOIN broadcast_runs r ON r.id = m.run_id WHERE r.broadcast_id = ${b.id}::uuid`.execute(database.db)
    const f = rows[0]
    if (!f) throw new Error('no figures')
    const seconds = (f.last.getTime() - started) / 1000
    if (process.env.PROBE) {
      const p = await sql<
        Record<string, unknown>
      >`SELECT min(sending_at) - min(queued_at) AS first_sending, max(sending_at) - min(queued_at) AS last_sending, max(sent_at) - min(queued_at) AS last_sent FROM messages`.execute(
        database.db,
      )
      const j = await sql<
        Record<string, unknown>
      >`SELECT queue, count(*)::int AS n, max(attempts) AS attempts, max(finished_at) - min(created_at) AS span FROM jobs GROUP BY queue`.execute(
        database.db,
      )
      console.log(JSON.stringify(p.rows), JSON.stringify(j.rows))
    }
    const twice = [...receiver.keys.values()].filter((n) => n > 1).length
    const recorded =
      f.sent === expected && f.attempts === f.sent && f.events === f.sent && twice === 0
        ? 'all'
        : `sent ${f.sent}/${expected}, attempts ${f.attempts}, events ${f.events}, keys twice ${twice}`
    return {
      run,
      messages: f.n,
      sent: f.sent,
      seconds,
      perSecond: f.sent / seconds,
      p50: f.p50,
      p99: f.p99,
      rssMb: peak.rssMb,
      pssMb: peak.pssMb,
      recorded,
    }
  } finally {
    await database.close()
  }
}

/** A `reachloop start` on a fresh data directory of the engine, a signed-in owner and the local provider, for one run. */
async function withServer(
  engine: EngineEnv['engine'],
  label: string,
  run: (c: { environment: EngineEnv; server: ServerProcess; api: AdminApi; receiver: Receiver }) => Promise<Figures>,
): Promise<Figures> {
  const environment = await engineEnv(engine, label, PG_URL)
  const receiver = await startReceiver()
  const profile = process.env.CPU_PROFILE
  const server = await startServer(
    { ...environment.env, WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '20' },
    join(environment.logDir, 'server.log'),
    undefined,
    profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  )
  try {
    return await run({ environment, server, api: await AdminApi.setup(server.url, OWNER), receiver })
  } finally {
    await stopServer(server)
    await receiver.close()
    await environment.dispose()
  }
}

async function pipelineRun(engine: EngineEnv['engine']): Promise<Figures> {
  return withServer(engine, 'send', async ({ environment, server, api, receiver }) => {
    const source = await must<{ writeKey: string }>(api, 'POST', '/api/v1/sources', { name: 'App', kind: 'app' })
    const templateId = await prepareWorkspace(api, receiver.url)
    const t0 = Date.now()
    await ingestCustomers(server.url, source.writeKey, MESSAGES)
    const segment = await must<{ id: string }>(api, 'POST', '/api/v1/segments', {
      name: 'Winter cohort',
      kind: 'dynamic',
      definition: { kind: 'trait', trait: 'cohort', type: 'string', op: 'equals', value: 'winter' },
    })
    await waitFor(
      'the segment to hold every customer',
      async () => (await must<{ size: number }>(api, 'GET', `/api/v1/segments/${segment.id}`)).size >= MESSAGES,
      20 * 60_000,
    )
    console.log(`  ${engine}: ${MESSAGES} customers ingested and in the segment in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
    return await measureBroadcast(
      `${MESSAGES / 1000}k via ingestion, ${engine}`,
      environment,
      api,
      receiver,
      templateId,
      segment.id,
      memoryRoots(environment, server.pid),
      MESSAGES,
    )
  })
}

/** 1M customers straight into the tables (one statement each), members of a static segment. */
async function broadcastRun(): Promise<Figures> {
  return withServer('postgres', 'broadcast', async ({ environment, server, api, receiver }) => {
    const templateId = await prepareWorkspace(api, receiver.url)
    const segment = await must<{ id: string }>(api, 'POST', '/api/v1/segments', { name: 'Everyone (static)', kind: 'static' })
    const database = await openEngineDatabase(environment)
    const t0 = Date.now()
    try {
      const ws = await sql<{ id: string }>`SELECT id FROM workspaces LIMIT 1`.execute(database.db)
      const workspaceId = ws.rows[0]?.id ?? ''
      await sql`
        INSERT INTO profiles (id, workspace_id, traits, trait_times, first_seen_at, last_seen_at, created_at, updated_at)
        SELECT gen_random_uuid(), ${workspaceId}, jsonb_build_object('name', '客户' || g), '{}', now(), now(), now(), now() FROM generate_series(1, ${BROADCAST_PROFILES}) g`.execute(
        database.db,
      )
      await sql`INSERT INTO segment_members (workspace_id, segment_id, profile_id, entered_at) SELECT ${workspaceId}, ${segment.id}, id, now() FROM profiles WHERE workspace_id = ${workspaceId}`.execute(
        database.db,
      )
      await sql`UPDATE segments SET size = ${BROADCAST_PROFILES} WHERE id = ${segment.id}`.execute(database.db)
      await sql`ANALYZE`.execute(database.db)
    } finally {
      await database.close()
    }
    console.log(`  postgres: ${BROADCAST_PROFILES} customers loaded into a static segment in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
    return await measureBroadcast(
      `${BROADCAST_PROFILES / 1_000_000}M broadcast, postgres`,
      environment,
      api,
      receiver,
      templateId,
      segment.id,
      memoryRoots(environment, server.pid),
      BROADCAST_PROFILES,
    )
  })
}

const figures: Figures[] = []
try {
  for (const engine of ENGINES) figures.push(await pipelineRun(engine))
  if (BROADCAST_PROFILES > 0) figures.push(await broadcastRun())
} finally {
  await endAllProcesses()
}
console.log(`\nbench:send, ${new Date().toISOString().slice(0, 16)}Z`)
console.log(
  renderTable(
    ['messages', 'sent', 'seconds', 'messages/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'peak PSS MB', 'recorded'],
    figures.map((f) => ({
      metric: f.run,
      cells: [
        String(f.messages),
        String(f.sent),
        f.seconds.toFixed(1),
        f.perSecond.toFixed(0),
        f.p50.toFixed(0),
        f.p99.toFixed(0),
        f.rssMb.toFixed(0),
        f.pssMb.toFixed(0),
        f.recorded,
      ],
    })),
  ),
)
