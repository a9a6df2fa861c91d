import { fail, ok } from '@reachloop/domain'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { transact } from './database.js'
import type { DB } from './schema.js'

describe('transact', () => {
  let t: TestDatabase
  let db: Kysely<DB>
  beforeAll(async () => {
    t = await createTestDatabase()
    db = t.database.db
    await sql`CREATE TABLE transact_counters (name text PRIMARY KEY, n int NOT NULL)`.execute(db)
    await sql`INSERT INTO transact_counters VALUES ('a', 0), ('b', 0)`.execute(db)
  })
  afterAll(() => t.drop())

  const counters = async () =>
    Object.fromEntries(
      (await sql<{ name: string; n: number }>`SELECT name, n FROM transact_counters ORDER BY name`.execute(db)).rows.map((r) => [
        r.name,
        r.n,
      ]),
    )

  it('runs again the transaction PostgreSQL aborts to break a deadlock, so both writers succeed, each once', async () => {
    // Two writers take the same two rows in opposite orders, each waiting until the other holds its first.
    let held = 0
    const bothHold = async () => {
      held++
      for (let i = 0; i < 200 && held < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    let attempts = 0
    const writer = (first: string, second: string) =>
      transact(db, async (tx) => {
        attempts++
        await sql`UPDATE transact_counters SET n = n + 1 WHERE name = ${first}`.execute(tx)
        await bothHold()
        await sql`UPDATE transact_counters SET n = n + 1 WHERE name = ${second}`.execute(tx)
        return ok(first)
      })
    const results = await Promise.all([writer('a', 'b'), writer('b', 'a')])
    expect(results).toEqual([ok('a'), ok('b')])
    expect(attempts).toBe(3)
    expect(await counters()).toEqual({ a: 2, b: 2 })
  })

  it('rolls back on an expected failure, without running it again', async () => {
    let attempts = 0
    const refused = await transact(db, async (tx) => {
      attempts++
      await sql`UPDATE transact_counters SET n = 100`.execute(tx)
      return fail('SEGMENT_NOT_FOUND')
    })
    expect(refused).toMatchObject({ ok: false, code: 'SEGMENT_NOT_FOUND' })
    expect(attempts).toBe(1)
    expect(await counters()).toEqual({ a: 2, b: 2 })
  })
})
