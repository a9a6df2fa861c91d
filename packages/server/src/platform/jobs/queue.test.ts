import { ManualClock } from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { JobQueue } from './job-queue.js'
import { JobWorker } from './job-worker.js'
import { defineQueue } from './queue.js'

const SEND = defineQueue('test.send', Type.Object({ profileId: Type.String({ minLength: 1 }), attempt: Type.Integer({ minimum: 1 }) }))

describe('a queue with a payload schema', () => {
  let t: TestDatabase
  let queue: JobQueue
  beforeAll(async () => {
    t = await createTestDatabase()
    queue = new JobQueue(t.database.db, new ManualClock(new Date('2026-03-01T08:00:00Z')))
  })
  afterAll(() => t.drop())

  it('refuses, at enqueue, a payload that does not fit, saying where, and adds none of the batch', async () => {
    const wrong = { profileId: 'p-1', attempt: 0 }
    await expect(
      queue.enqueue([
        { queue: SEND, payload: { profileId: 'p-2', attempt: 1 } },
        { queue: SEND, payload: wrong },
      ]),
    ).rejects.toThrow(/payload of test\.send does not fit its schema at \/attempt/)
    expect(await t.database.db.selectFrom('jobs').select('id').execute()).toEqual([])
  })

  it('runs a fitting job with its typed payload, and sends one that no longer fits to dead at once, unhandled', async () => {
    const handled: string[] = []
    const worker = new JobWorker(queue, { concurrency: 2, leaseMs: 30_000, pollMs: 10 }).register(SEND, async (payload) => {
      handled.push(payload.profileId)
    })
    const [fits] = await queue.enqueue({ queue: SEND, payload: { profileId: 'p-3', attempt: 1 } })
    // Written by an older version (or by hand): the queue is the same, the payload's shape is not.
    const [stale] = await queue.enqueue({ queue: 'test.send', payload: { profile: 'p-4' }, maxAttempts: 5 })
    worker.start()
    const settled = async () =>
      (await t.database.db.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error']).orderBy('id').execute()).filter(
        (j) => j.state === 'done' || j.state === 'dead',
      )
    for (let i = 0; i < 200 && (await settled()).length < 2; i++) await new Promise((r) => setTimeout(r, 20))
    await worker.stop()
    const jobs = await settled()
    expect(jobs.find((j) => j.id === fits)?.state).toBe('done')
    const dead = jobs.find((j) => j.id === stale)
    expect(dead).toMatchObject({ state: 'dead', attempts: 1 })
    expect(dead?.last_error).toMatch(/payload of test\.send does not fit its schema at \/profileId/)
    expect(handled).toEqual(['p-3'])
  })
})
