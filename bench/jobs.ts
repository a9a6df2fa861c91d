/**
 * Job throughput and latency on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test):
 * enqueue N trivial jobs into a database of its own (dropped afterwards), then drain them and print
 * jobs/s and p50 / p99 claim-to-finish latency, first with one worker in this process, then with
 * WORKERS worker processes (default 2).
 * Options (environment): JOBS (default 20000), ONE_WORKER_JOBS (default 5000), WORKERS, CONCURRENCY.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { systemClock } from '@reachloop/domain'
import {
  createScratchDatabase,
  type Database,
  JOB_WORKER_PROCESS_ENTRY,
  JobQueue,
  JobWorker,
  migrate,
  openDatabase,
} from '@reachloop/server/testing'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const JOBS = Number(process.env.JOBS ?? 20_000)
const ONE_WORKER_JOBS = Number(process.env.ONE_WORKER_JOBS ?? 5_000)
const WORKERS = Number(process.env.WORKERS ?? 2)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

interface Figures {
  /** How the jobs were run. */
  run: string
  workers: number
  jobs: number
  enqueuePerSecond: number
  jobsPerSecond: number
  p50: number
  p99: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function enqueueAll(database: Database, n: number): Promise<number> {
  const queue = new JobQueue(database.db, systemClock)
  const started = performance.now()
  for (let i = 0; i < n; i += 1000)
    await queue.enqueue(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ queue: 'bench.noop', payload: { i: i + k } })))
  return n / ((performance.now() - started) / 1000)
}

async function benchOneWorker(): Promise<Figures> {
  const scratch = await createScratchDatabase(PG_URL, 'rl_bench')
  try {
    const database = await openDatabase({ databaseUrl: scratch.url })
    await migrate(database.db)
    const enqueuePerSecond = await enqueueAll(database, ONE_WORKER_JOBS)
    const latencies: number[] = []
    let done = 0
    let finished: () => void = () => undefined
    const allDone = new Promise<void>((resolve) => (finished = resolve))
    const worker = new JobWorker(new JobQueue(database.db, systemClock), {
      concurrency: CONCURRENCY,
      leaseMs: 60_000,
      pollMs: 20,
      onSettled: (_job, outcome, ms) => {
        if (outcome !== 'done') return
        latencies.push(ms)
        if (++done === ONE_WORKER_JOBS) finished()
      },
    }).register('bench.noop', async () => undefined)
    const started = performance.now()
    worker.start()
    await allDone
    const seconds = (performance.now() - started) / 1000
    await worker.stop()
    await database.close()
    latencies.sort((a, b) => a - b)
    return {
      run: 'one worker in this process',
      workers: 1,
      jobs: ONE_WORKER_JOBS,
      enqueuePerSecond,
      jobsPerSecond: ONE_WORKER_JOBS / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    }
  } finally {
    await scratch.drop()
  }
}

interface WorkerReport {
  jobs: number
  first: number
  last: number
  latencies: number[]
}

function runWorkerProcess(url: string): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', JOB_WORKER_PROCESS_ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: url,
        CONCURRENCY: String(CONCURRENCY),
        POLL_MS: '20',
        EXIT_WHEN_IDLE_MS: '1500',
        POOL_SIZE: '4',
      },
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (code !== 0 || !line) reject(new Error(`worker exited with ${code}: ${output.slice(0, 500)}`))
      else resolve(JSON.parse(line) as WorkerReport)
    })
  })
}

async function benchWorkerProcesses(): Promise<Figures> {
  const scratch = await createScratchDatabase(PG_URL, 'rl_bench')
  try {
    const database = await openDatabase({ databaseUrl: scratch.url })
    await migrate(database.db)
    const enqueuePerSecond = await enqueueAll(database, JOBS)
    await database.close()
    const reports = await Promise.all(Array.from({ length: WORKERS }, () => runWorkerProcess(scratch.url)))
    const jobs = reports.reduce((n, r) => n + r.jobs, 0)
    if (jobs !== JOBS) throw new Error(`expected ${JOBS} jobs to run, ${jobs} did`)
    const seconds = (Math.max(...reports.map((r) => r.last)) - Math.min(...reports.map((r) => r.first))) / 1000
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b)
    return {
      run: 'worker processes',
      workers: WORKERS,
      jobs,
      enqueuePerSecond,
      jobsPerSecond: jobs / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    }
  } finally {
    await scratch.drop()
  }
}

const results = [await benchOneWorker(), await benchWorkerProcesses()]
console.log(`\njobs benchmark on PostgreSQL: trivial jobs, ${CONCURRENCY} in flight per worker\n`)
console.table(
  results.map((r) => ({
    run: r.run,
    workers: r.workers,
    jobs: r.jobs,
    'enqueue jobs/s': Math.round(r.enqueuePerSecond),
    'run jobs/s': Math.round(r.jobsPerSecond),
    'p50 claim→finish ms': r.p50.toFixed(1),
    'p99 claim→finish ms': r.p99.toFixed(1),
  })),
)
const processes = results.find((r) => r.run === 'worker processes')
console.log(`target: 2 worker processes ≥ 2,000 jobs/s — ${processes && processes.jobsPerSecond >= 2000 ? 'met' : 'NOT met'}`)
