import { ManualClock } from '@reachloop/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { JobQueue } from './job-queue.js'
import { JobWorker } from './job-worker.js'
import { startRecurring } from './recurring.js'

describe('recurring maintenance jobs', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.drop())

  it('schedules one run per time slot across workers, runs it when due and chains the next slot', async () => {
    const clock = new ManualClock(new Date('2026-06-01T10:20:00Z'))
    const queue = new JobQueue(t.database.db, clock)
    const runs: string[] = []
    const task = { queue: 'maintenance.test', everyMs: 3_600_000, run: async () => void runs.push(clock.now().toISOString()) }
    const workers = [
      new JobWorker(queue, { concurrency: 2, leaseMs: 10_000, pollMs: 10 }),
      new JobWorker(queue, { concurrency: 2, leaseMs: 10_000, pollMs: 10 }),
    ]
    for (const w of workers) await startRecurring(w, queue, clock, [task])
    const scheduled = () =>
      t.database.db.selectFrom('jobs').select(['run_at', 'state']).where('queue', '=', 'maintenance.test').orderBy('run_at').execute()
    expect(await scheduled()).toEqual([{ run_at: new Date('2026-06-01T11:00:00Z'), state: 'queued' }])
    for (const w of workers) w.start()
    try {
      await new Promise((r) => setTimeout(r, 100))
      expect(runs).toEqual([])
      clock.advance(45 * 60_000)
      await expect.poll(() => runs.length, { timeout: 5_000 }).toBe(1)
      await expect
        .poll(async () => (await scheduled()).map((j) => `${j.run_at.toISOString()} ${j.state}`), { timeout: 5_000 })
        .toEqual(['2026-06-01T11:00:00.000Z done', '2026-06-01T12:00:00.000Z queued'])
    } finally {
      await Promise.all(workers.map((w) => w.stop()))
    }
  })
})
