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
 * takes to catch up. And the machine's CPU time per 1000 accepted events, from the load's start until
 * every consumer has read all of it: what ingestion and all the work derived from it cost, however much
 * of that a burst defers (background consumers yield to ingestion and catch up after it).
 * On the embedded PostgreSQL (the default engine) and, with ENGINES, on an external PostgreSQL
 * (DATABASE_URL, default the local `test` server).
 * Options (environment): SECONDS (default 20 per phase), CLIENTS (default 8), BATCH (default 100),
 * ENGINES (default `embedded`; `embedded,postgres` for both), SEGMENTS (`live` by default; `none`
 * for ingestion alone), PROFILE_DIR (write a CPU profile of the server there).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SegmentNode } from '@reachloop/domain'
import { sql } from 'kysely'
import { type Database, openDatabase } from '@reachloop/server/testing'
import { AdminApi } from './support/admin-api.js'
import { engineEnv, isBenchEngine, type BenchEngine } from './support/engine-env.js'
import { batchMaker } from './support/ingest-batch.js'
import { postBatches, type LoadFigures } from './support/ingest-load.js'
import { endAllProcesses, runCli, startServer, stopServer } from './support/reachloop-process.js'
import { previewCases, WASHED_THREE_TIMES } from './support/segment-previews.js'

const SECONDS = Number(process.env.SECONDS ?? 20)
const CLIENTS = Number(process.env.CLIENTS ?? 8)
const BATCH = Number(process.env.BATCH ?? 100)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ENGINES = (process.env.ENGINES ?? 'embedded')
  .split(',')
  .map((e) => e.trim())
  .filter(isBenchEngine)
const SEGMENTS = process.env.SEGMENTS !== 'none'
const NAMES: Record<BenchEngine, string> = { embedded: 'embedded PostgreSQL', postgres: 'PostgreSQL' }

const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const makeBatch = batchMaker(BATCH)

/** CPU time the whole machine has spent busy (every process: clients, server, database), in ms. */
function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100
}

const phase = (url: string, writeKey: string, seconds: number, ratePerSecond?: number) =>
  postBatches(url, writeKey, { seconds, clients: CLIENTS, batchSize: BATCH, makeBatch, ratePerSecond })

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
    FROM events e CROSS JOIN (SELECT done_snapshot, target_snapshot, cursor_tx, cursor_id FROM log_consumers WHERE name = 'segments') AS c`.execute(
    database.db,
  )
  return rows[0] ?? { events: 0, unread: 0 }
}

/**
 * Whether consumers (one, or all) have read the whole log, once the load has stopped: each has read
 * to a snapshot in which the log's newest transaction is visible. Cheap (an index lookup), unlike
 * counting the backlog, so polling it does not weigh on what is measured.
 */
async function caughtUp(database: Database, consumer?: string): Promise<boolean> {
  const { rows } = await sql<{ behind: number }>`
    SELECT count(*)::int AS behind FROM log_consumers c, (SELECT max(tx_id) AS tx FROM events) AS last
    WHERE (${consumer ?? null}::text IS NULL OR c.name = ${consumer ?? null})
      AND (c.target_snapshot IS NOT NULL OR NOT pg_visible_in_snapshot(last.tx, c.done_snapshot::pg_snapshot))`.execute(database.db)
  return rows[0]?.behind === 0
}

/** Waits (up to 5 min) until every consumer has read the whole log; the seconds it took, or null. */
async function waitCaughtUp(database: Database, consumer?: string): Promise<number | null> {
  const started = performance.now()
  for (let i = 0; i < 1200; i++) {
    if (await caughtUp(database, consumer)) return (performance.now() - started) / 1000
    await new Promise((r) => setTimeout(r, 250))
  }
  return null
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
  const rfm = await api.must<{ id: string }>('POST', '/api/v1/computed-properties', {
    name: 'rfm',
    definition: { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' }, monetaryProperty: 'total' },
  })
  const washed = await api.must<{ id: string }>('POST', '/api/v1/segments', {
    name: 'Regular washers',
    kind: 'dynamic',
    definition: WASHED_THREE_TIMES,
  })
  const absent: Array<{ name: string; definition: SegmentNode }> = [
    { name: 'No email', definition: { kind: 'trait', trait: 'email', type: 'string', op: 'not_exists' } },
    {
      name: 'Never ordered',
      definition: {
        kind: 'event',
        event: 'Order Completed',
        filters: [],
        window: { type: 'ever' },
        aggregate: 'count',
        comparison: 'eq',
        value: 0,
      },
    },
    {
      name: 'Not in 重庆',
      definition: { kind: 'not', child: { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' } },
    },
    {
      name: 'Spent ¥88 or more',
      definition: {
        kind: 'event',
        event: 'Order Completed',
        filters: [],
        window: { type: 'ever' },
        aggregate: 'sum',
        property: 'total',
        comparison: 'gte',
        value: 8800,
      },
    },
  ]
  const cases = [
    ...previewCases({ tagId: tag.id, segmentId: washed.id, posSourceId: sources.items[0]?.id ?? '', rfmPropertyId: rfm.id }),
    ...absent,
  ]
  for (const c of cases) await api.must('POST', '/api/v1/segments', { name: c.name, kind: 'dynamic', definition: c.definition })
  await api.must('POST', '/api/v1/tags', {
    name: 'Big spender',
    kind: 'rule',
    definition: {
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'ever' },
      aggregate: 'sum',
      property: 'total',
      comparison: 'gte',
      value: 17_600,
    },
  })
  // Live once every full computation has run (the worker picks them up within a second or so).
  for (let i = 0; i < 600; i++) {
    const segments = await api.must<{ items: Array<{ computedAt: string | null }> }>('GET', '/api/v1/segments')
    const properties = await api.must<{ items: Array<{ computedAt: string | null }> }>('GET', '/api/v1/computed-properties')
    if ([...segments.items, ...properties.items].every((x) => x.computedAt)) return segments.items.length
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the audiences were not computed within 2 minutes')
}

async function bench(engine: BenchEngine) {
  const environment = await engineEnv(engine, 'ingest', PG_URL)
  const { env } = environment
  const log = join(environment.logDir, 'cli.log')
  const cli = async (args: string[]) => (await runCli(args, env, log)).stdout
  try {
    await cli(['create-owner', '--email', 'bench@example.com', '--password', 'bench-password', '--workspace', 'Bench'])
    const writeKey = await cli(['create-source', '--workspace', 'Bench', '--name', 'bench', '--kind', 'server'])
    const token = await cli(['create-token', '--email', 'bench@example.com', '--name', 'bench', '--workspace', 'Bench'])
    const profile = process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : []
    const server = await startServer(env, join(environment.logDir, 'server.log'), undefined, profile)
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL || (await cli(['database-url'])) })
    try {
      const segments = SEGMENTS ? await liveAudiences(AdminApi.withToken(server.url, token)) : 0
      await phase(server.url, writeKey, 2) // warm-up
      const busyBefore = machineBusyMs()
      const peak = await measured(database, () => phase(server.url, writeKey, SECONDS))
      const half = await measured(database, () => phase(server.url, writeKey, SECONDS, peak.eventsPerSecond / 2))
      // How long the consumer takes to read what was left when the load stopped.
      const caughtUpSeconds = SEGMENTS ? await waitCaughtUp(database, 'segments') : null
      // The machine's CPU per accepted event, from the load's start until every consumer has read it all.
      await waitCaughtUp(database)
      const accepted = (peak.eventsPerSecond + half.eventsPerSecond) * SECONDS
      const cpuMsPer1000 = ((machineBusyMs() - busyBefore) / accepted) * 1000
      const rssMb = peakRss(server.pid)
      return { engine: NAMES[engine], segments, peak, half, caughtUp: caughtUpSeconds, cpuMsPer1000, rssMb, ...(await stored(database)) }
    } finally {
      await database.close()
      await stopServer(server)
    }
  } finally {
    await environment.dispose()
  }
}

/** What the run left in the database: events, live profiles and merges (proof the batches resolved). */
async function stored(database: Database) {
  const { db } = database
  const [events, profiles, merges, members] = await Promise.all([
    db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('profiles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merged_into', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('profile_merges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('segment_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { events: Number(events.n), profiles: Number(profiles.n), merges: Number(merges.n), members: Number(members.n) }
}

const results = []
try {
  for (const engine of ENGINES) results.push(await bench(engine))
} finally {
  await endAllProcesses()
}

console.log(
  `\ningest benchmark: ${CLIENTS} clients, batches of ${BATCH} events (page, view, identify — 1 in 5 merges an anonymous profile into a returning member —, order, coupon), ${SECONDS} s per phase, ${SEGMENTS ? "the demo's audiences live" : 'no audiences'}\n`,
)
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
    'CPU ms / 1000 events': Math.round(r.cpuMsPer1000),
    'server peak RSS MB': Math.round(r.rssMb),
  })),
)
if (SEGMENTS) {
  console.log(
    '\nthe segments consumer (events read per second from the log, internal events included; backlog = events of transactions it has not read)\n',
  )
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
console.table(
  results.map((r) => ({
    engine: r.engine,
    'events stored': r.events,
    profiles: r.profiles,
    merges: r.merges,
    'segment members': r.members,
  })),
)
