import { PLATFORM_EVENTS } from '@reachloop/domain'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { MODULES } from './modules.js'

describe('the list of modules', () => {
  it('gives each module, queue and recurring job one name', () => {
    const names = (list: string[]) => expect(new Set(list).size).toBe(list.length)
    names(MODULES.map((m) => m.name))
    names(MODULES.flatMap((m) => [...(m.queues ?? []).map((q) => q.queue.name), ...(m.recurring ?? []).map((r) => r.queue)]))
  })

  it('refuses from clients every event a module records itself', () => {
    const internal = MODULES.flatMap((m) => m.internalEvents ?? [])
    expect(internal.length).toBeGreaterThan(0)
    expect([...internal].sort()).toEqual([...PLATFORM_EVENTS].sort())
  })
})

describe('table ownership', () => {
  it('gives every table of the database exactly one owner: a module or the platform', async () => {
    const { createTestDatabase } = await import('../test-support/test-database.js')
    const { PLATFORM_TABLES } = await import('../platform/modules/module-manifest.js')
    const t = await createTestDatabase()
    try {
      const { rows } = await sql<{ name: string }>`
        SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(
        t.database.db,
      )
      const owners = new Map<string, string[]>()
      for (const [owner, tables] of [['platform', PLATFORM_TABLES] as const, ...MODULES.map((m) => [m.name, m.tables ?? []] as const)])
        for (const table of tables) owners.set(table, [...(owners.get(table) ?? []), owner])
      const unowned = rows.map((r) => r.name).filter((name) => !owners.has(name))
      const shared = [...owners].filter(([, o]) => o.length > 1)
      const missing = [...owners.keys()].filter((name) => !rows.some((r) => r.name === name))
      expect({ unowned, shared, missing }).toEqual({ unowned: [], shared: [], missing: [] })
    } finally {
      await t.drop()
    }
  })
})
