/**
 * The embedded PostgreSQL server (real binaries, a child process group the platform supervises)
 * on the user's path, as measured when it replaced PGlite (issue 10; docs/storage.md keeps those
 * figures). The platform itself runs — real `reachloop start` processes and CLI commands, each
 * part on a fresh data directory:
 *  1. ingestion (the bench:ingest workload: CLIENTS clients, batches of 100) for SECONDS;
 *  2. `reachloop demo --customers CUSTOMERS` with the server stopped;
 *  3. on the demo data, the admin API preview of a segment of every condition kind;
 *  4. /healthz while an RFM computed property is computed, then while it is computed again with the previews running;
 *  5. first start (empty data directory) and warm start;
 *  6. memory of the engine's processes (node, and every postgres of the data directory), idle and at the demo's peak;
 *  7. install size of each engine's packages;
 *  8. TRIALS SIGKILLs during ingestion (and of the postmaster, on embedded), then a restart without cleanup.
 * Options (environment): ENGINES (default `embedded`; `embedded,postgres` adds a column for an external
 * server at DATABASE_URL, for comparison), SECONDS (15), CUSTOMERS (50000), TRIALS (4), CLIENTS (8),
 * PREVIEW_TIMEOUT (120 s), RFM_TIMEOUT (600 s), BESIDE_MAX (120 s: step 4b is skipped when the RFM
 * computation alone took longer). Prints a table with a column per engine, then the figures as JSON.
 */
import { randomUUID } from 'node:crypto'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { ComputedDefinition } from '@reachloop/domain'
import { AdminApi } from './support/admin-api.js'
import { crashTrials } from './support/crash-trials.js'
import { cancelAbandonedQueries } from './support/engine-database.js'
import {
  BENCH_ENGINES,
  engineEnv,
  isBenchEngine,
  memoryRoots,
  postmasterPid,
  type BenchEngine,
  type EngineEnv,
} from './support/engine-env.js'
import { probeHealth } from './support/health-probe.js'
import { batchMaker } from './support/ingest-batch.js'
import { postBatches } from './support/ingest-load.js'
import { embeddedInstallSize } from './support/install-size.js'
import { memoryOf, processTree, sampleMemory, type Memory } from './support/process-memory.js'
import { endAllProcesses, runCli, startServer, stopServer, type ServerProcess } from './support/reachloop-process.js'
import { report } from './support/embedded-report.js'
import type { EngineFigures } from './support/engine-figures.js'
import { demoPreviewTargets, previewCases, runPreviews, type PreviewCase } from './support/segment-previews.js'

const ENGINES = (process.env.ENGINES ?? 'embedded')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean)
const SECONDS = Number(process.env.SECONDS ?? 15)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 50_000)
const TRIALS = Number(process.env.TRIALS ?? 4)
const CLIENTS = Number(process.env.CLIENTS ?? 8)
const PREVIEW_TIMEOUT = Number(process.env.PREVIEW_TIMEOUT ?? 120)
/** How long the RFM computation may take, and the longest for which step 4b (RFM again beside the previews) is still run. */
const RFM_TIMEOUT = Number(process.env.RFM_TIMEOUT ?? 600)
const BESIDE_MAX = Number(process.env.BESIDE_MAX ?? 120)
const BATCH = 100
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const OWNER = { email: 'bench@example.com', password: 'bench-password' }
const DEMO_WORKSPACE = '洗车连锁 Demo'
const RFM: ComputedDefinition = {
  kind: 'rfm',
  event: 'Order Completed',
  filters: [],
  window: { type: 'last', amount: 365, unit: 'days' },
  monetaryProperty: 'total',
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const say = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`)

/** Runs one part; a failure is recorded and the next part goes on (each part has its own data directory). */
async function part(figures: EngineFigures, name: string, run: () => Promise<void>): Promise<void> {
  say(`${figures.engine}: ${name}`)
  try {
    await run()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    figures.errors.push(`${name}: ${message}`)
    say(`${figures.engine}: ${name} failed: ${message}`)
  }
}

/**
 * Stops a server normally. On the embedded engine the PostgreSQL it started must stop with it (no
 * other Reachloop process uses it here): one still running 15 s later is noted.
 */
async function stop(environment: EngineEnv, figures: EngineFigures, server: ServerProcess): Promise<void> {
  const { killed } = await stopServer(server)
  if (killed) figures.notes.push(`a server did not stop within 60 s of SIGTERM and was SIGKILLed (${server.logFile})`)
  if (environment.engine !== 'embedded') return
  for (let i = 0; i < 150 && postmasterPid(environment.dataDir) !== null; i++) await sleep(100)
  const left = postmasterPid(environment.dataDir)
  if (left) figures.notes.push(`postgres (pid ${left}) still ran 15 s after its server stopped normally (${environment.dataDir})`)
}

/** Parts 1, 5 and 6 (idle): first start, warm start, idle memory, then the ingestion load. */
async function startsAndIngest(environment: EngineEnv, figures: EngineFigures): Promise<void> {
  const log = join(environment.logDir, 'server.log')
  const first = await startServer(environment.env, log)
  figures.firstStartSeconds = first.readySeconds
  await sleep(3_000)
  figures.idleMemory = memoryOf(processTree(memoryRoots(environment, first.pid)()))
  await stop(environment, figures, first)
  const warm = await startServer(environment.env, log)
  figures.warmStartSeconds = warm.readySeconds
  try {
    await sleep(3_000)
    figures.idleMemoryWarm = memoryOf(processTree(memoryRoots(environment, warm.pid)()))
    const api = await AdminApi.setup(warm.url, { ...OWNER, workspace: 'Bench' })
    const source = await api.must<{ writeKey: string }>('POST', '/api/v1/sources', { name: 'bench', kind: 'server' })
    const makeBatch = batchMaker(BATCH)
    await postBatches(warm.url, source.writeKey, { seconds: 2, clients: CLIENTS, batchSize: BATCH, makeBatch }) // warm-up
    const memory = sampleMemory(memoryRoots(environment, warm.pid))
    const load = await postBatches(warm.url, source.writeKey, { seconds: SECONDS, clients: CLIENTS, batchSize: BATCH, makeBatch })
    figures.ingest = { ...load, peakMemory: memory.stop() }
  } finally {
    await stop(environment, figures, warm)
  }
}

/** Part 2: the demo command, with the server stopped; then a token for the admin API. */
async function demo(environment: EngineEnv, figures: EngineFigures): Promise<string> {
  const log = join(environment.logDir, 'cli.log')
  // The CLI could run beside the server, but then the demo's time and peak memory would include a
  // running server (its consumers and its share of CPU): stopped, the command starts PostgreSQL
  // itself and the figures are the demo's alone.
  let memory: { stop(): Memory } | undefined
  try {
    const args = ['demo', '--customers', String(CUSTOMERS), '--email', OWNER.email, '--password', OWNER.password]
    const ran = await runCli(args, environment.env, log, (pid) => (memory = sampleMemory(memoryRoots(environment, pid))))
    figures.demo = {
      seconds: ran.seconds,
      summary: ran.stdout.split('\n').at(-1) ?? '',
      peakMemory: memory?.stop() ?? { rssMb: 0, pssMb: 0, processes: 0 },
    }
  } finally {
    memory?.stop()
  }
  const token = await runCli(
    ['create-token', '--email', OWNER.email, '--name', 'bench', '--workspace', DEMO_WORKSPACE],
    environment.env,
    log,
  )
  return token.stdout
}

/** The server on the demo data, and how to clean up after a preview that timed out. */
class DemoServer {
  constructor(
    private readonly environment: EngineEnv,
    private readonly token: string,
    public server: ServerProcess,
  ) {}

  get api(): AdminApi {
    return AdminApi.withToken(this.server.url, this.token)
  }

  /**
   * After a preview (or the RFM computation) timed out, the query goes on in the server (nothing
   * cancels it); so that the next figures are not taken beside it, it is cancelled (pg_cancel_backend).
   */
  async recover(): Promise<string> {
    return `${await cancelAbandonedQueries(this.environment)} abandoned query(s) cancelled`
  }
}

/** Parts 3 and 4: RFM computation and previews on the demo data, with /healthz probed meanwhile. */
async function onDemoData(environment: EngineEnv, token: string, figures: EngineFigures): Promise<void> {
  const started = await startServer(environment.env, join(environment.logDir, 'server.log'))
  figures.startOnDemoSeconds = started.readySeconds
  const demoServer = new DemoServer(environment, token, started)
  try {
    // 3. One preview per condition kind, one at a time: all but the computed kind first, before any
    // computed property exists (its computation, and the consumer's catch-up after it, would run beside them).
    const targets = await demoPreviewTargets(demoServer.api)
    const onTimeout = async (c: PreviewCase) => void figures.recoveries.push(`${c.kind}: timed out; ${await demoServer.recover()}`)
    const early = previewCases({ ...targets, rfmPropertyId: randomUUID() }).filter((c) => c.kind !== 'computed')
    say(`${environment.engine}: ${early.length} previews`)
    figures.previews = await runPreviews(() => demoServer.api, early, PREVIEW_TIMEOUT, onTimeout)

    // 4a. Creating the property enqueues its computation (a job of the server's worker): done when computedAt is set.
    say(`${environment.engine}: RFM computation, /healthz every 50 ms`)
    const health = probeHealth(demoServer.server.url)
    const t0 = performance.now()
    const rfm = await demoServer.api.must<{ id: string }>('POST', '/api/v1/computed-properties', { name: 'rfm_365d', definition: RFM })
    const deadline = t0 + RFM_TIMEOUT * 1000
    let computed = false
    while (!computed && performance.now() < deadline) {
      const property = await demoServer.api.call<{ computedAt: string | null }>(
        'GET',
        `/api/v1/computed-properties/${rfm.id}`,
        undefined,
        Math.max(1_000, deadline - performance.now()),
      )
      computed = !property.timedOut && property.body.computedAt !== null
      if (!computed) await sleep(250)
    }
    figures.rfm = { seconds: computed ? (performance.now() - t0) / 1000 : null, health: await health.stop() }
    if (!computed) {
      // Restarted, the worker takes the job up again: nothing more can be measured beside it.
      figures.recoveries.push(
        `RFM: not computed in ${RFM_TIMEOUT} s; ${await demoServer.recover()}; the computed preview and 4b are skipped`,
      )
      return
    }
    const cases = previewCases({ ...targets, rfmPropertyId: rfm.id })
    figures.previews.push(
      ...(await runPreviews(
        () => demoServer.api,
        cases.filter((c) => c.kind === 'computed'),
        PREVIEW_TIMEOUT,
        onTimeout,
      )),
    )

    // 4b. The RFM computed again (the API's synchronous compute) while the previews run; those that
    // timed out alone are left out, and so is the whole step when the RFM alone took minutes (its
    // figure would be the RFM's again, and the run would pass its time budget).
    if (figures.rfm.seconds !== null && figures.rfm.seconds > BESIDE_MAX) {
      figures.notes.push(`4b skipped: the RFM computation alone took ${Math.round(figures.rfm.seconds)} s (more than ${BESIDE_MAX} s)`)
      return
    }
    const answered = cases.filter((c) => figures.previews?.find((p) => p.kind === c.kind)?.seconds !== null)
    say(`${environment.engine}: RFM computation with ${answered.length} previews beside it, /healthz every 50 ms`)
    const busyHealth = probeHealth(demoServer.server.url)
    const [compute, previews] = await Promise.all([
      demoServer.api.call('POST', `/api/v1/computed-properties/${rfm.id}/compute`, undefined, 900_000),
      runPreviews(() => demoServer.api, answered, PREVIEW_TIMEOUT),
    ])
    figures.underLoad = {
      computeSeconds: compute.timedOut ? null : compute.seconds,
      previews,
      skipped: cases.filter((c) => !answered.includes(c)).map((c) => c.kind),
      health: await busyHealth.stop(),
    }
  } finally {
    await stop(environment, figures, demoServer.server)
  }
}

/** The data directory in use, removed on an interrupt too. */
let current: EngineEnv | null = null

async function measure(engine: BenchEngine): Promise<EngineFigures> {
  const figures: EngineFigures = {
    engine,
    errors: [],
    recoveries: [],
    notes: [
      `load average at the start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ],
  }
  figures.install = engine === 'embedded' ? embeddedInstallSize() : { mb: null, packages: [] }
  const withEnv = async (label: string, run: (environment: EngineEnv) => Promise<void>) => {
    const environment = await engineEnv(engine, label, PG_URL)
    current = environment
    try {
      await run(environment)
    } finally {
      await endAllProcesses()
      await environment.dispose()
      current = null
    }
  }
  await part(figures, 'starts and ingestion', () => withEnv('ingest', (environment) => startsAndIngest(environment, figures)))
  await part(figures, `demo of ${CUSTOMERS} customers, previews and RFM`, () =>
    withEnv('demo', async (environment) => {
      const token = await demo(environment, figures)
      await onDemoData(environment, token, figures)
    }),
  )
  await part(figures, `${TRIALS} SIGKILL trials`, () =>
    withEnv('crash', async (environment) => {
      figures.crash = await crashTrials(environment, TRIALS, { clients: 4, batchSize: BATCH })
    }),
  )
  return figures
}

const unknown = ENGINES.filter((e) => !isBenchEngine(e))
if (unknown.length > 0) throw new Error(`ENGINES: unknown ${unknown.join(', ')} (known: ${BENCH_ENGINES.join(', ')})`)
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130)
    interrupted = true
    say(`${signal}: ending the servers and removing the data directories`)
    void endAllProcesses(5_000)
      .then(() => current?.dispose())
      .finally(() => process.exit(130))
  })
}
const results: EngineFigures[] = []
const began = performance.now()
try {
  for (const engine of ENGINES.filter(isBenchEngine)) results.push(await measure(engine))
} finally {
  await endAllProcesses()
}
console.log(
  report(results, {
    seconds: SECONDS,
    clients: CLIENTS,
    batch: BATCH,
    customers: CUSTOMERS,
    trials: TRIALS,
    previewTimeout: PREVIEW_TIMEOUT,
    minutes: (performance.now() - began) / 60_000,
  }),
)
console.log(JSON.stringify(results, null, 2))
process.exit(0)
