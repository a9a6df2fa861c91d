import { ManualClock } from '@reachloop/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { backoffMs, JobQueue } from './job-queue.js'
import { JobWorker } from './job-worker.js'

describe('job queue', () => {
  let t: TestDatabase
  let clock: ManualClock
  let queue: JobQueue
  beforeAll(async () => {
    t = await createTestDatabase()
    clock = new ManualClock(new Date('2026-03-01T08:00:00Z'))
    queue = new JobQueue(t.database.db, clock)
  })
  afterAll(() => t.drop())

  const stateOf = async (id: number) => t.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  it('keeps one job per idempotency key, returning the same id', async () => {
    const [first] = await queue.enqueue({ queue: 'sms.send', idempotencyKey: 'order-1', payload: { n: 1 } })
    const ids = await queue.enqueue([
      { queue: 'sms.send', idempotencyKey: 'order-1', payload: { n: 2 } },
      { queue: 'sms.send', payload: { n: 3 } },
      { queue: 'email.send', idempotencyKey: 'order-1' },
    ])
    expect(ids[0]).toBe(first)
    expect(new Set(ids).size).toBe(3)
    expect((await stateOf(first ?? 0)).payload).toEqual({ n: 1 })
    await t.database.db.deleteFrom('jobs').execute()
  })

  it('does not claim a job before its run_at', async () => {
    const [id] = await queue.enqueue({ queue: 'journey.wake', runAt: new Date(clock.now().getTime() + 3 * 86_400_000) })
    expect(await queue.claim('w1', ['journey.wake'], 10, 30_000)).toEqual([])
    clock.advance(3 * 86_400_000)
    const claimed = await queue.claim('w1', ['journey.wake'], 10, 30_000)
    expect(claimed.map((j) => j.id)).toEqual([id])
    expect(claimed[0]?.attempts).toBe(1)
    expect(await queue.complete(claimed)).toBe(1)
    expect((await stateOf(id ?? 0)).state).toBe('done')
  })

  it('retries a failed job with growing backoff and dead-letters it after the last attempt', async () => {
    const [id] = await queue.enqueue({ queue: 'webhook.deliver', maxAttempts: 3 })
    const waits: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await queue.claim('w1', ['webhook.deliver'], 1, 30_000)
      expect(job?.attempts).toBe(attempt)
      const outcome = await queue.fail(job!, `HTTP 502 on attempt ${attempt}`)
      const row = await stateOf(id ?? 0)
      if (attempt < 3) {
        expect(outcome).toBe('retry')
        expect(row.state).toBe('queued')
        waits.push(row.run_at.getTime() - clock.now().getTime())
        expect(await queue.claim('w1', ['webhook.deliver'], 1, 30_000)).toEqual([])
        clock.set(row.run_at)
      } else {
        expect(outcome).toBe('dead')
        expect(row.state).toBe('dead')
        expect(row.last_error).toBe('HTTP 502 on attempt 3')
        expect(row.finished_at).not.toBeNull()
      }
    }
    expect(waits[0]).toBeGreaterThanOrEqual(800)
    expect(waits[1]).toBeGreaterThan(waits[0] ?? 0)
  })

  it('grows backoff exponentially up to an hour', () => {
    const mid = () => 0.5
    expect([1, 2, 3, 10].map((a) => backoffMs(a, mid))).toEqual([1000, 2000, 4000, 512_000])
    expect(backoffMs(40, mid)).toBe(3_600_000)
  })

  it('lets no stale worker finish a job another worker took over after its lease expired', async () => {
    const [id] = await queue.enqueue({ queue: 'import.run', maxAttempts: 5 })
    const [stale] = await queue.claim('w-stale', ['import.run'], 1, 10_000)
    clock.advance(10_001)
    expect(await queue.recoverExpired()).toBe(1)
    const recovered = await stateOf(id ?? 0)
    expect(recovered.state).toBe('queued')
    expect(recovered.last_error).toContain('lease expired')
    const [fresh] = await queue.claim('w-fresh', ['import.run'], 1, 10_000)
    expect(fresh?.attempts).toBe(2)
    expect(await queue.complete([stale!])).toBe(0)
    expect(await queue.fail(stale!, 'late failure')).toBe('stale')
    expect((await stateOf(id ?? 0)).state).toBe('running')
    expect(await queue.complete([fresh!])).toBe(1)
  })

  it('extends the lease of a long job so it is not recovered while it runs', async () => {
    const [id] = await queue.enqueue({ queue: 'recompute', maxAttempts: 1 })
    const [job] = await queue.claim('w1', ['recompute'], 1, 10_000)
    clock.advance(8_000)
    await queue.extendLeases('w1', [job!], 10_000)
    clock.advance(8_000)
    expect(await queue.recoverExpired()).toBe(0)
    clock.advance(3_000)
    // Past the extended lease on its last attempt: dead, not retried.
    expect(await queue.recoverExpired()).toBe(1)
    expect((await stateOf(id ?? 0)).state).toBe('dead')
  })

  it('prunes finished jobs past the retention period, freeing their idempotency keys', async () => {
    const [id] = await queue.enqueue({ queue: 'prune.me', idempotencyKey: 'once' })
    await queue.complete(await queue.claim('w1', ['prune.me'], 1, 10_000))
    clock.advance(8 * 86_400_000)
    expect(await queue.pruneDone(7 * 86_400_000)).toBeGreaterThanOrEqual(1)
    const [again] = await queue.enqueue({ queue: 'prune.me', idempotencyKey: 'once' })
    expect(again).not.toBe(id)
  })
})

describe('job worker', () => {
  it('runs registered jobs, records failures, and on stop waits for the jobs in flight', async () => {
    const t = await createTestDatabase()
    const queue = new JobQueue(t.database.db, { now: () => new Date() })
    const ran: number[] = []
    let releaseSlow: () => void = () => undefined
    const worker = new JobWorker(queue, { concurrency: 5, leaseMs: 30_000, pollMs: 20 })
      .register('test.ok', async (job) => {
        ran.push(job.id)
      })
      .register('test.fail', async () => {
        throw new Error('provider said no')
      })
      .register('test.slow', () => new Promise<void>((resolve) => (releaseSlow = resolve)))
    try {
      const ids = await queue.enqueue(Array.from({ length: 12 }, () => ({ queue: 'test.ok' })))
      const [failing] = await queue.enqueue({ queue: 'test.fail', maxAttempts: 1 })
      worker.start()
      const deadline = Date.now() + 10_000
      while (ran.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(ran.sort((a, b) => a - b)).toEqual(ids)
      const [slow] = await queue.enqueue({ queue: 'test.slow' })
      worker.notify()
      while (
        Date.now() < deadline &&
        (
          await t.database.db
            .selectFrom('jobs')
            .select('state')
            .where('id', '=', slow ?? 0)
            .executeTakeFirstOrThrow()
        ).state !== 'running'
      )
        await new Promise((r) => setTimeout(r, 20))
      const stopping = worker.stop(5_000)
      setTimeout(() => releaseSlow(), 200)
      await stopping
      const rows = await t.database.db
        .selectFrom('jobs')
        .select(['id', 'state', 'last_error'])
        .where('id', 'in', [failing ?? 0, slow ?? 0])
        .orderBy('id')
        .execute()
      expect(rows.map((r) => r.state)).toEqual(['dead', 'done'])
      expect(rows[0]?.last_error).toContain('provider said no')
    } finally {
      await worker.stop(0)
      await t.drop()
    }
  })
})
