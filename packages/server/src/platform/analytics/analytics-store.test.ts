import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { append } from '../event-log/append.js'
import { postgresEventCounts, type EventCounts } from './analytics-store.js'

describe("the PostgreSQL analytics store's event counts", () => {
  let t: TestDatabase
  let store: EventCounts
  const workspaceId = randomUUID()
  const [alice, bob] = [randomUUID(), randomUUID()]
  beforeAll(async () => {
    t = await createTestDatabase()
    store = postgresEventCounts(t.database.db)
    // Shanghai is UTC+8: 2026-05-01T17:30Z is already 2 May there.
    const at = (iso: string) => new Date(iso)
    const event = (profileId: string, name: string, timestamp: Date) => ({
      profileId,
      messageId: randomUUID(),
      name,
      properties: {},
      timestamp,
    })
    await append(t.database.db, { workspaceId, receivedAt: at('2026-05-03T00:00:00Z') }, [
      event(alice, 'Order Completed', at('2026-05-01T03:00:00Z')),
      event(alice, 'Order Completed', at('2026-05-01T17:30:00Z')),
      event(bob, 'Order Completed', at('2026-05-02T09:00:00Z')),
      event(bob, 'Store Visited', at('2026-05-02T10:00:00Z')),
    ])
    await append(t.database.db, { workspaceId: randomUUID(), receivedAt: at('2026-05-03T00:00:00Z') }, [
      event(randomUUID(), 'Order Completed', at('2026-05-01T03:00:00Z')),
    ])
  })
  afterAll(() => t.drop())

  it("counts a workspace's events, narrowed by profiles, names and a time range", async () => {
    expect(await store.countEvents({ workspaceId })).toBe(4)
    expect(await store.countEvents({ workspaceId, profileIds: [alice] })).toBe(2)
    expect(await store.countEvents({ workspaceId, profileIds: [] })).toBe(0)
    expect(await store.countEvents({ workspaceId, names: ['Order Completed'] })).toBe(3)
    expect(await store.countEvents({ workspaceId, from: new Date('2026-05-01T17:30:00Z'), to: new Date('2026-05-02T10:00:00Z') })).toBe(2)
  })

  it("buckets them by day in the workspace's time zone", async () => {
    const byDay = await store.countEventsBy({ workspaceId, names: ['Order Completed'], grain: 'day', timeZone: 'Asia/Shanghai' })
    expect(byDay).toEqual([
      { start: new Date('2026-04-30T16:00:00Z'), events: 1 },
      { start: new Date('2026-05-01T16:00:00Z'), events: 2 },
    ])
  })
})
