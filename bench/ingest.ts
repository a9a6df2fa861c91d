/**
 * Ingestion throughput: concurrent clients post realistic batches (100 events, with identifies,
 * anonymous visitors who log in — merges — and orders) to a real server process, first as fast as
 * it takes them, then at half that rate. Prints accepted events/s, p50/p99 request latency and
 * the server's peak RSS, on PGlite and on PostgreSQL (DATABASE_URL, default the local `test` server).
 * Options (environment): SECONDS (default 20 per phase), CLIENTS (default 8), BATCH (default 100),
 * ENGINES (default `pglite,postgres`), PROFILE_DIR (write a CPU profile of the server there).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../packages/server/src/platform/db/database.js'
import { batchMaker } from './support/ingest-batch.js'
import { postBatches } from './support/ingest-load.js'
import { createScratchDatabase } from '../packages/server/src/test-support/scratch-database.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const SECONDS = Number(process.env.SECONDS ?? 20)
const CLIENTS = Number(process.env.CLIENTS ?? 8)
const BATCH = Number(process.env.BATCH ?? 100)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ENGINES = (process.env.ENGINES ?? 'pglite,postgres').split(',')

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
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return { child, url }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not start')
}

const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const makeBatch = batchMaker(BATCH)

const phase = (url: string, writeKey: string, seconds: number, ratePerSecond?: number) => postBatches(url, writeKey, { seconds, clients: CLIENTS, batchSize: BATCH, makeBatch, ratePerSecond })

async function bench(engine: string, env: Record<string, string>) {
  await cli(['create-owner', '--email', 'bench@example.com', '--password', 'bench-password', '--workspace', 'Bench'], env)
  const writeKey = await cli(['create-source', '--workspace', 'Bench', '--name', 'bench', '--kind', 'server'], env)
  const server = await startServer(env)
  try {
    await phase(server.url, writeKey, 2) // warm-up
    const peak = await phase(server.url, writeKey, SECONDS)
    const half = await phase(server.url, writeKey, SECONDS, peak.eventsPerSecond / 2)
    const rssMb = peakRss(server.child.pid ?? 0)
    server.child.kill('SIGTERM')
    await new Promise((r) => server.child.on('exit', r))
    return { engine, peak, half, rssMb, ...(await stored(env)) }
  } catch (error) {
    server.child.kill('SIGTERM')
    throw error
  }
}

/** What the run left in the database: events, live profiles and merges (proof the batches resolved). */
async function stored(env: Record<string, string>) {
  const database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR ?? '', embeddedEngine: 'pglite' })
  try {
    const { db } = database
    const [events, profiles, merges] = await Promise.all([
      db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).executeTakeFirstOrThrow(),
      db.selectFrom('profile_merges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { events: events.n, profiles: profiles.n, merges: merges.n }
  } finally {
    await database.close()
  }
}

const results = []
if (ENGINES.includes('pglite')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-bench-'))
  try {
    results.push(await bench('PGlite', { DATA_DIR: dataDir, DATABASE_URL: '', DATABASE_ENGINE: 'pglite' }))
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

console.log(`\ningest benchmark: ${CLIENTS} clients, batches of ${BATCH} events (page, view, identify — 1 in 5 merges an anonymous profile into a returning member —, order, coupon), ${SECONDS} s per phase\n`)
console.table(
  results.map((r) => ({
    engine: r.engine,
    'peak events/s': Math.round(r.peak.eventsPerSecond),
    'peak p50 ms': r.peak.p50.toFixed(0),
    'peak p99 ms': r.peak.p99.toFixed(0),
    'half-rate events/s': Math.round(r.half.eventsPerSecond),
    'half-rate p99 ms': r.half.p99.toFixed(0),
    'failed requests': r.peak.failed + r.half.failed,
    'server peak RSS MB': Math.round(r.rssMb),
    'events stored': r.events,
    profiles: r.profiles,
    merges: r.merges,
  })),
)
