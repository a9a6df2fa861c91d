import { randomUUID } from 'node:crypto'
import { ManualClock } from '@reachloop/domain'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { consumerStates, EventLogRunner, type LogEvent } from './event-log.js'

describe('event log', () => {
  let t: TestDatabase
  const clock = new ManualClock(new Date('2026-05-01T02:00:00Z'))
  const workspaceId = randomUUID()
  const profileId = randomUUID()
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.drop())
  beforeEach(async () => {
    await t.database.db.deleteFrom('events').execute()
    await t.database.db.deleteFrom('log_consumers').execute()
  })

  const row = (name: string) => ({
    workspace_id: workspaceId,
    source_id: null,
    profile_id: profileId,
    message_id: randomUUID(),
    type: 'track',
    name,
    properties: JSON.stringify({ n: name }),
    traits: '{}',
    context: '{}',
    user_id: null,
    anonymous_id: null,
    timestamp: clock.now(),
    sent_at: null,
    received_at: clock.now(),
  })
  const append = (...names: string[]) => t.database.db.insertInto('events').values(names.map(row)).execute()

  /** A runner with one consumer that records what it sees (optionally failing on a named event). */
  const recorder = (options: { batchSize?: number; failOn?: string } = {}) => {
    const seen: LogEvent[] = []
    const runner = new EventLogRunner(t.database.db, clock, { pollMs: 10 }).register({
      name: 'recorder',
      batchSize: options.batchSize ?? 500,
      handle: async (_tx, events) => {
        if (events.some((e) => e.name === options.failOn)) throw new Error('handler failed')
        seen.push(...events)
      },
    })
    return { runner, seen }
  }

  it('hands events over in order in batches, stores the position and resumes after it', async () => {
    await append('a', 'b', 'c', 'd', 'e')
    const { runner, seen } = recorder({ batchSize: 2 })
    expect(await runner.step('recorder')).toBe(2)
    expect(seen.map((e) => e.name)).toEqual(['a', 'b'])
    expect(seen[0]?.properties).toEqual({ n: 'a' })
    // A new runner (a restarted process) goes on from the stored position.
    const again = recorder({ batchSize: 2 })
    expect(await again.runner.drain('recorder')).toBe(3)
    expect(again.seen.map((e) => e.name)).toEqual(['c', 'd', 'e'])
    const [state] = await consumerStates(t.database.db)
    expect(state).toMatchObject({ name: 'recorder', processed: 5, position: { target: null } })
    expect(await again.runner.step('recorder')).toBe(0)
  })

  it('keeps the position when the handler fails, so the batch is read again', async () => {
    await append('a', 'poison', 'c')
    const failing = recorder({ failOn: 'poison' })
    await expect(failing.runner.step('recorder')).rejects.toThrow('handler failed')
    expect(failing.seen).toEqual([])
    const fixed = recorder()
    expect(await fixed.runner.drain('recorder')).toBe(3)
    expect(fixed.seen.map((e) => e.name)).toEqual(['a', 'poison', 'c'])
  })

  it('reads past the events a consumer skips, keeping those whose property it asks for', async () => {
    await append('noise', 'a', 'noise', 'b', 'noise')
    const seen: Array<string | null> = []
    const runner = new EventLogRunner(t.database.db, clock, { pollMs: 10 }).register({
      name: 'skipper',
      batchSize: 2,
      prepare: () => Promise.resolve({ skip: { names: ['noise', 'b'], unless: [{ property: 'n', values: ['b'] }] } }),
      handle: async (_tx, events) => {
        seen.push(...events.map((e) => e.name))
      },
    })
    expect(await runner.drain('skipper')).toBe(2)
    expect(seen).toEqual(['a', 'b'])
    // The position is past the skipped events: nothing is read again.
    await append('c')
    expect(await runner.drain('skipper')).toBe(1)
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('runs registered consumers in the background and catches up with new events', async () => {
    const { runner, seen } = recorder()
    runner.start()
    await append('a', 'b')
    runner.notify()
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2)
    await append('c')
    await expect.poll(() => seen.map((e) => e.name), { timeout: 5_000 }).toEqual(['a', 'b', 'c'])
    await runner.stop()
  })

  it('lets a background consumer yield to ingestion, then catch up at full speed when it stops or the lag grows', async () => {
    await append(...Array.from({ length: 6 }, (_, i) => `e${i}`))
    let busy = true
    const batches: number[] = []
    const runner = new EventLogRunner(t.database.db, clock, { pollMs: 10, busy: () => busy }).register({
      name: 'statistics',
      batchSize: 2,
      background: { share: 0.1, maxLagMs: 60_000 },
      handle: async (_tx, events) => {
        // A step of at least 50 ms: yielding, the consumer then waits at least 450 ms.
        await new Promise((r) => setTimeout(r, 50))
        batches.push(events.length)
      },
    })
    runner.start()
    try {
      await expect.poll(() => batches.length, { timeout: 5_000 }).toBe(1)
      await new Promise((r) => setTimeout(r, 250))
      // While ingestion is busy, one step of 50 ms is followed by at least 450 ms of rest.
      expect(batches).toEqual([2])
      busy = false
      await expect.poll(() => batches.length, { timeout: 1_000 }).toBe(3)
      // Busy again, but the events waiting were received more than maxLagMs ago: no yielding.
      busy = true
      await append(...Array.from({ length: 6 }, (_, i) => `f${i}`))
      clock.advance(61_000)
      await expect.poll(() => batches.length, { timeout: 2_000 }).toBe(6)
    } finally {
      await runner.stop()
    }
  })

  it('reads an event once its transaction commits, even after later ones, and skips none', async () => {
    // Two writers: the first takes its id first but commits last. Reading "after the highest id
    // seen" would skip its event; reading by snapshots picks it up when it commits.
    const slow = new pg.Client({ connectionString: t.url })
    await slow.connect()
    try {
      await slow.query('BEGIN')
      await slow.query(
        `INSERT INTO events (workspace_id, profile_id, message_id, type, name, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'slow', now(), now())`,
        [workspaceId, profileId, randomUUID()],
      )
      await append('fast')
      const { runner, seen } = recorder()
      // The committed event is read at once; the open transaction's event is not yet.
      await runner.drain('recorder')
      expect(seen.map((e) => e.name)).toEqual(['fast'])
      await slow.query('COMMIT')
      await runner.drain('recorder')
      // Its id is lower than the one already read: "after the highest id seen" would have skipped it.
      expect(seen.map((e) => e.name)).toEqual(['fast', 'slow'])
      expect(seen[1]!.id).toBeLessThan(seen[0]!.id)
    } finally {
      await slow.end()
    }
  })

  it('loses and repeats nothing while many writers append concurrently', async () => {
    const { runner, seen } = recorder({ batchSize: 50 })
    let writing = true
    const consuming = (async () => {
      while (writing) {
        await runner.step('recorder')
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          await t.database.db.transaction().execute(async (tx) => {
            await tx
              .insertInto('events')
              .values([row(`w${w}-${i}-a`)])
              .execute()
            await new Promise((r) => setTimeout(r, Math.random() * 4))
            await tx
              .insertInto('events')
              .values([row(`w${w}-${i}-b`)])
              .execute()
          })
        }
      }),
    )
    writing = false
    await consuming
    await runner.drain('recorder')
    const ids = seen.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(300)
  })
})
