import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ManualClock } from '@reachloop/domain'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, JOB_WORKER_PROCESS_ENTRY, JobQueue, JobWorker, type TestDatabase } from '@reachloop/server/testing'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const JOBS = 1000

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const createRunsTable = (t: TestDatabase) =>
  sql`CREATE TABLE job_runs (job_id bigint NOT NULL, worker text NOT NULL, attempt int NOT NULL)`.execute(t.database.db)
const runs = async (t: TestDatabase) =>
  (
    await sql<{
      job_id: number
      worker: string
      attempt: number
    }>`SELECT job_id, worker, attempt FROM job_runs ORDER BY job_id, attempt`.execute(t.database.db)
  ).rows
const states = async (t: TestDatabase, queue: string) =>
  (
    await sql<{ state: string; n: number }>`SELECT state, count(*)::int AS n FROM jobs WHERE queue = ${queue} GROUP BY state`.execute(
      t.database.db,
    )
  ).rows

describe('two worker processes on PostgreSQL', () => {
  let t: TestDatabase
  const children: ChildProcess[] = []
  const startWorker = async (name: string) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', JOB_WORKER_PROCESS_ENTRY], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, LEASE_MS: '2000', POLL_MS: '20', WORKER_NAME: name },
    })
    children.push(child)
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    await until(`worker ${name} to start`, async () => output.includes('ready '))
    return { child, id: output.match(/ready (\S+)/)?.[1] ?? '' }
  }
  beforeAll(async () => {
    t = await createTestDatabase()
    await createRunsTable(t)
  })
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL')
    await t.drop()
  })

  it('run 1,000 jobs between them: none twice, none lost', async () => {
    const [a, b] = await Promise.all([startWorker('a'), startWorker('b')])
    const queue = new JobQueue(t.database.db, { now: () => new Date() })
    await queue.enqueue(Array.from({ length: JOBS }, (_, i) => ({ queue: 'test.record', payload: { i } })))
    await until('all jobs done', async () => (await states(t, 'test.record')).find((s) => s.state === 'done')?.n === JOBS)
    const all = await runs(t)
    expect(all).toHaveLength(JOBS)
    expect(new Set(all.map((r) => r.job_id)).size).toBe(JOBS)
    expect(all.every((r) => r.attempt === 1)).toBe(true)
    // Both took a share.
    expect(all.filter((r) => r.worker === a.id).length).toBeGreaterThan(0)
    expect(all.filter((r) => r.worker === b.id).length).toBeGreaterThan(0)
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
  })

  it('retry, on the surviving worker after the lease, a job whose worker was killed mid-job', async () => {
    await sql`DELETE FROM job_runs`.execute(t.database.db)
    const doomed = await startWorker('doomed')
    const queue = new JobQueue(t.database.db, { now: () => new Date() })
    const [id] = await queue.enqueue({ queue: 'test.block', maxAttempts: 3 })
    await until('the doomed worker to be mid-job', async () => (await runs(t)).length === 1)
    const claimed = await t.database.db
      .selectFrom('jobs')
      .select(['state', 'locked_by'])
      .where('id', '=', id ?? 0)
      .executeTakeFirstOrThrow()
    expect(claimed).toEqual({ state: 'running', locked_by: doomed.id })
    const survivor = await startWorker('survivor')
    doomed.child.kill('SIGKILL')
    await until(
      'the job to finish on the survivor',
      async () =>
        (
          await t.database.db
            .selectFrom('jobs')
            .select('state')
            .where('id', '=', id ?? 0)
            .executeTakeFirstOrThrow()
        ).state === 'done',
      20_000,
    )
    const job = await t.database.db
      .selectFrom('jobs')
      .select(['attempts', 'state'])
      .where('id', '=', id ?? 0)
      .executeTakeFirstOrThrow()
    expect(job).toEqual({ attempts: 2, state: 'done' })
    expect((await runs(t)).map((r) => [r.worker, r.attempt])).toEqual([
      [doomed.id, 1],
      [survivor.id, 2],
    ])
    survivor.child.kill('SIGTERM')
  })
})

describe('one worker on the embedded database', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
    await createRunsTable(t)
  })
  afterAll(() => t.drop())

  const recordingWorker = (queue: JobQueue, name: string) =>
    new JobWorker(queue, { concurrency: 20, leaseMs: 2_000, pollMs: 20 }).register('test.record', async (job) => {
      await sql`INSERT INTO job_runs (job_id, worker, attempt) VALUES (${job.id}, ${name}, ${job.attempts})`.execute(t.database.db)
    })

  it('runs 1,000 jobs: none twice, none lost', async () => {
    const queue = new JobQueue(t.database.db, { now: () => new Date() })
    const worker = recordingWorker(queue, 'only')
    await queue.enqueue(Array.from({ length: JOBS }, (_, i) => ({ queue: 'test.record', payload: { i } })))
    worker.start()
    try {
      await until('all jobs done', async () => (await states(t, 'test.record')).find((s) => s.state === 'done')?.n === JOBS)
    } finally {
      await worker.stop()
    }
    const all = await runs(t)
    expect(all).toHaveLength(JOBS)
    expect(new Set(all.map((r) => r.job_id)).size).toBe(JOBS)
  })

  it('hands a job to another worker once the lease of a worker that vanished mid-job expires', async () => {
    await sql`DELETE FROM job_runs`.execute(t.database.db)
    const clock = new ManualClock(new Date())
    const queue = new JobQueue(t.database.db, clock)
    const [id] = await queue.enqueue({ queue: 'test.record', maxAttempts: 3 })
    // The vanished worker claimed the job and then never finished, extended or failed it.
    const [lost] = await queue.claim('vanished', ['test.record'], 1, 2_000)
    expect(lost?.id).toBe(id)
    const survivor = recordingWorker(queue, 'survivor')
    survivor.start()
    try {
      await new Promise((r) => setTimeout(r, 300))
      expect(await runs(t)).toEqual([])
      clock.advance(2_001)
      await until(
        'the survivor to run it',
        async () =>
          (
            await t.database.db
              .selectFrom('jobs')
              .select('state')
              .where('id', '=', id ?? 0)
              .executeTakeFirstOrThrow()
          ).state === 'done',
        10_000,
      )
    } finally {
      await survivor.stop()
    }
    expect((await runs(t)).map((r) => [r.worker, r.attempt])).toEqual([['survivor', 2]])
  })
})
