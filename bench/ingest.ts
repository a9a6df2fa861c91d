/**
 * Ingestion throughput, with the audiences engine live beside it: concurrent clients post realistic
 * batches (100 events, with identifies, anonymous visitors who log in — merges — and orders) to a
 * real server process, first as fast as it takes them, then at half that rate. Before the load,
 * the workspace gets the demo's audiences: one segment per condition kind (bench/support/segment-previews.ts),
 * the audiences a new customer enters by absence ("no email", "never ordered", …), a rule tag and an
 * RFM property, all computed, so the log consumer keeps them up during the load.
 *
 * Prints accepted events/s, p50/p99 request latency, the server's peak RSS, and the segments
 * consumer's throughput (events read per second), its backlog when the load stops and how long it
 * takes to catch up. On the embedded PostgreSQL (the default engine) and, with ENGINES, on an
 * external PostgreSQL (DATABASE_URL, default the local `test` server).
 * Options (environment): SECONDS (default 20 per phase), CLIENTS (default 8), BATCH (default 100),
 * ENGINES (default `embedded`; `embedded,postgres` for both), SEGMENTS (`live` by default; `none`
 * for ingestion alone), PROFILE_DIR (write a CPU profile of the server there).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SegmentNode } from '@reachloop/domain'
import { sql } from 'kysely'
import { openDatabase, type Database } from '../packages/server/src/platform/db/database.js'
import { createScratchDatabase } from '../packages/server/src/test-support/scratch-database.js'
import { AdminApi } from './support/admin-api.js'
import { batchMaker } from './support/ingest-batch.js'
import { postBatches, type LoadFigures } from './support/ingest-load.js'
import { previewCases, WASHED_THREE_TIMES } from './support/segment-previews.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const SECONDS = Number(process.env.SECONDS ?? 20)
const CLIENTS = Number(process.env.CLIENTS ?? 8)
const BATCH = Number(process.env.BATCH ?? 100)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ENGINES = (process.env.ENGINES ?? 'embedded').split(',')
const SEGMENTS = process.env.SEGMENTS !== 'none'

const cli = (args: string[], env: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/server/src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`reachloop ${args[0]} failed`))))
  })

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = 3900 + Math.floor(Math.random() * 90)
  const profile = process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : []
  const child = spawn(process.execPath, [...profile, '--conditions=source', '--import', 'tsx', 'packages/server/src/cli/main.ts', 'start'], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: 'inherit' })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return { child, url }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not start')
}

const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const makeBatch = batchMaker(BATCH)

const phase = (url: string, writeKey: string, seconds: number, ratePerSecond?: number) => postBatches(url, writeKey, { seconds, clients: CLIENTS, batchSize: BATCH, makeBatch, ratePerSecond })

/**
 * The events in the log, and how many of them the segments consumer has not read: those of
 * transactions its done snapshot does not cover, less those of the snapshot it is reading towards
 * that are at or before its cursor.
 */
async function backlog(database: Database): Promise<{ events: number; unread: number }> {
  const { rows } = await sql<{ events: number; unread: number }>`
    SELECT count(*)::int AS events,
      count(*) FILTER (WHERE NOT pg_visible_in_snapshot(e.tx_id, c.done_snapshot::pg_snapshot)
        AND NOT (c.target_snapshot IS NOT NULL AND pg_visible_in_snapshot(e.tx_id, c.target_snapshot::pg_snapshot) AND (e.tx_id, e.id) <= (c.cursor_tx, c.cursor_id)))::int AS unread
    FROM events e CROSS JOIN (SELECT done_snapshot, target_snapshot, cursor_tx, cursor_id FROM log_consumers WHERE name = 'segments') AS c`.execute(database.db)
  return rows[0] ?? { events: 0, unread: 0 }
}

/** A load phase with what the consumer read meanwhile (events appended less the growth of its backlog). */
async function measured(database: Database, run: () => Promise<LoadFigures>) {
  const before = await backlog(database)
  const started = performance.now()
  const load = await run()
  const after = await backlog(database)
  const seconds = (performance.now() - started) / 1000
  const read = after.events - before.events - (after.unread - before.unread)
  return { ...load, consumerPerSecond: read / seconds, unreadAtEnd: after.unread }
}

/** The demo's audiences, computed, in the bench workspace. */
async function liveAudiences(api: AdminApi): Promise<number> {
  const sources = await api.must<{ items: Array<{ id: string }> }>('GET', '/api/v1/sources')
  const tag = await api.must<{ id: string }>('POST', '/api/v1/tags', { name: 'Bench VIP', kind: 'manual' })
  const rfm = await api.must<{ id: string }>('POST', '/api/v1/computed-properties', { name: 'rfm', definition: { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' }, monetaryProperty: 'total' } })
  const washed = await api.must<{ id: string }>('POST', '/api/v1/segments', { name: 'Regular washers', kind: 'dynamic', definition: WASHED_THREE_TIMES })
  const absent: Array<{ name: string; definition: SegmentNode }> = [
    { name: 'No email', definition: { kind: 'trait', trait: 'email', type: 'string', op: 'not_exists' } },
    { name: 'Never ordered', definition: { kind: 'event', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'count', comparison: 'eq', value: 0 } },
    { name: 'Not in 重庆', definition: { kind: 'not', child: { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' } } },
    { name: 'Spent ¥88 or more', definition: { kind: 'event', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'sum', property: 'total', comparison: 'gte', value: 8800 } },
  ]
  const cases = [...previewCases({ tagId: tag.id, segmentId: washed.id, posSourceId: sources.items[0]?.id ?? '', rfmPropertyId: rfm.id }), ...absent]
  for (const c of cases) await api.must('POST', '/api/v1/segments', { name: c.name, kind: 'dynamic', definition: c.definition })
  await api.must('POST', '/api/v1/tags', { name: 'Big spender', kind: 'rule', definition: { kind: 'event', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'sum', property: 'total', comparison: 'gte', value: 17_600 } })
  // Live once every full computation has run (the worker picks them up within a second or so).
  for (let i = 0; i < 600; i++) {
    const segments = await api.must<{ items: Array<{ computedAt: string | null }> }>('GET', '/api/v1/segments')
    const properties = await api.must<{ items: Array<{ computedAt: string | null }> }>('GET', '/api/v1/computed-properties')
    if ([...segments.items, ...properties.items].every((x) => x.computedAt)) return segments.items.length
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the audiences were not computed within 2 minutes')
}

async function bench(engine: string, env: Record<string, string>) {
  await cli(['create-owner', '--email', 'bench@example.com', '--password', 'bench-password', '--workspace', 'Bench'], env)
  const writeKey = await cli(['create-source', '--workspace', 'Bench', '--name', 'bench', '--kind', 'server'], env)
  const token = await cli(['create-token', '--email', 'bench@example.com', '--name', 'bench', '--workspace', 'Bench'], env)
  const server = await startServer(env)
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL || (await cli(['database-url'], env)) })
  try {
    const segments = SEGMENTS ? await liveAudiences(AdminApi.withToken(server.url, token)) : 0
    await phase(server.url, writeKey, 2) // warm-up
    const peak = await measured(database, () => phase(server.url, writeKey, SECONDS))
    const half = await measured(database, () => phase(server.url, writeKey, SECONDS, peak.eventsPerSecond / 2))
    // How long the consumer takes to read what was left when the load stopped.
    const stopped = performance.now()
    let caughtUp: number | null = null
    for (let i = 0; i < 1200 && SEGMENTS; i++) {
      if ((await backlog(database)).unread === 0) {
        caughtUp = (performance.now() - stopped) / 1000
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    const rssMb = peakRss(server.child.pid ?? 0)
    return { engine, segments, peak, half, caughtUp, rssMb, ...(await stored(database)) }
  } finally {
    await database.close()
    server.child.kill('SIGTERM')
    await new Promise((r) => server.child.on('exit', r))
  }
}

/** What the run left in the database: events, live profiles and merges (proof the batches resolved). */
async function stored(database: Database) {
  const { db } = database
  const [events, profiles, merges, members] = await Promise.all([
    db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).executeTakeFirstOrThrow(),
    db.selectFrom('profile_merges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('segment_members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { events: Number(events.n), profiles: Number(profiles.n), merges: Number(merges.n), members: Number(members.n) }
}

const results = []
if (ENGINES.includes('embedded')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-bench-'))
  try {
    results.push(await bench('embedded PostgreSQL', { DATA_DIR: dataDir, DATABASE_URL: '' }))
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
if (ENGINES.includes('postgres')) {
  const scratch = await createScratchDatabase(PG_URL, 'rl_bench')
  try {
    const pgDir = mkdtempSync(join(tmpdir(), 'reachloop-bench-'))
    results.push(await bench('PostgreSQL', { DATABASE_URL: scratch.url, DATA_DIR: pgDir }))
    rmSync(pgDir, { recursive: true, force: true })
  } finally {
    await scratch.drop()
  }
}

console.log(`\ningest benchmark: ${CLIENTS} clients, batches of ${BATCH} events (page, view, identify — 1 in 5 merges an anonymous profile into a returning member —, order, coupon), ${SECONDS} s per phase, ${SEGMENTS ? 'the demo\'s audiences live' : 'no audiences'}\n`)
console.table(
  results.map((r) => ({
    engine: r.engine,
    'live segments': r.segments,
    'peak events/s': Math.round(r.peak.eventsPerSecond),
    'peak p50 ms': r.peak.p50.toFixed(0),
    'peak p99 ms': r.peak.p99.toFixed(0),
    'half-rate events/s': Math.round(r.half.eventsPerSecond),
    'half-rate p99 ms': r.half.p99.toFixed(0),
    'failed requests': r.peak.failed + r.half.failed,
    'server peak RSS MB': Math.round(r.rssMb),
  })),
)
if (SEGMENTS) {
  console.log('\nthe segments consumer (events read per second from the log, internal events included; backlog = events of transactions it has not read)\n')
  console.table(
    results.map((r) => ({
      engine: r.engine,
      'read/s at peak load': Math.round(r.peak.consumerPerSecond),
      'backlog after peak': r.peak.unreadAtEnd,
      'read/s at half rate': Math.round(r.half.consumerPerSecond),
      'backlog at the end': r.half.unreadAtEnd,
      'caught up after (s)': r.caughtUp === null ? 'not within 5 min' : r.caughtUp.toFixed(1),
    })),
  )
}
console.table(results.map((r) => ({ engine: r.engine, 'events stored': r.events, profiles: r.profiles, merges: r.merges, 'segment members': r.members })))
