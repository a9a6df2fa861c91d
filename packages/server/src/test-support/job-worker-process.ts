/**
 * A worker process for multi-process tests and the jobs benchmark. It runs a JobWorker on the
 * PostgreSQL database at DATABASE_URL with these queues:
 * - `test.record`: records the run in `job_runs` (the test creates that table);
 * - `test.block`: on its first attempt records the run and then never finishes (to be killed
 *   mid-job), on later attempts records and finishes;
 * - `bench.noop`: does nothing.
 * It prints `ready <worker id>` once running. With EXIT_WHEN_IDLE_MS it stops once no job has
 * been claimed for that long and prints one JSON line of figures: jobs run, first claim and last
 * finish (epoch ms) and claim-to-finish latencies.
 */
import { systemClock } from '@reachloop/domain'
import { sql } from 'kysely'
import { openDatabase } from '../platform/db/database.js'
import { JobQueue } from '../platform/jobs/job-queue.js'
import { JobWorker } from '../platform/jobs/job-worker.js'

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`${name} is required`)
  return value
}

const database = await openDatabase({ databaseUrl: env('DATABASE_URL'), poolSize: Number(env('POOL_SIZE', '10')) })
const queue = new JobQueue(database.db, systemClock)
const latencies: number[] = []
let first = 0
let last = 0
let lastActivity = Date.now()
const worker = new JobWorker(queue, {
  concurrency: Number(env('CONCURRENCY', '20')),
  leaseMs: Number(env('LEASE_MS', '30000')),
  pollMs: Number(env('POLL_MS', '50')),
  onSettled: (_job, outcome, elapsedMs) => {
    const now = Date.now()
    if (first === 0) first = now - elapsedMs
    last = now
    lastActivity = now
    if (outcome === 'done') latencies.push(elapsedMs)
  },
})
const record = (jobId: number, attempt: number) =>
  sql`INSERT INTO job_runs (job_id, worker, attempt) VALUES (${jobId}, ${worker.id}, ${attempt})`.execute(database.db)
worker
  .register('test.record', async (job) => {
    await record(job.id, job.attempts)
  })
  .register('test.block', async (job) => {
    await record(job.id, job.attempts)
    if (job.attempts === 1) await new Promise(() => undefined)
  })
  .register('bench.noop', async () => undefined)
worker.start()
console.log(`ready ${worker.id}`)

const idleMs = Number(process.env.EXIT_WHEN_IDLE_MS ?? 0)
if (idleMs > 0) {
  const timer = setInterval(() => {
    if (Date.now() - lastActivity < idleMs) return
    clearInterval(timer)
    void worker.stop().then(async () => {
      console.log(JSON.stringify({ worker: worker.id, jobs: latencies.length, first, last, latencies }))
      await database.close()
      process.exit(0)
    })
  }, 50)
}
process.on(
  'SIGTERM',
  () =>
    void worker
      .stop()
      .then(() => database.close())
      .then(() => process.exit(0)),
)
