import { fail, ok } from '@reachloop/domain'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js'
import { boundedTransaction, type Interruption } from './bounded-transaction.js'
import type { DB } from './schema.js'

describe('boundedTransaction', () => {
  let t: TestDatabase
  let db: Kysely<DB>
  beforeAll(async () => {
    t = await createTestDatabase()
    db = t.database.db
    await sql`CREATE TABLE bounded_notes (note text NOT NULL)`.execute(db)
  })
  afterAll(() => t.drop())

  const notes = async () => (await sql<{ note: string }>`SELECT note FROM bounded_notes`.execute(db)).rows.map((r) => r.note)
  const interrupted = (why: Interruption) => fail(why === 'timed_out' ? 'PREVIEW_TIMED_OUT' : 'PREVIEW_CANCELLED')
  /** Backends of this database running a statement that mentions `marker` (other than this lookup). */
  const running = async (marker: string) =>
    (
      await sql<{
        pid: number
      }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query LIKE ${`%${marker}%`}`.execute(
        db,
      )
    ).rows

  it('answers the timeout when a statement runs past it, and rolls back what came before', async () => {
    const started = Date.now()
    const result = await boundedTransaction(
      db,
      { timeoutMs: 300, purpose: 'test' },
      async (tx) => {
        await sql`INSERT INTO bounded_notes VALUES ('before the slow statement')`.execute(tx)
        await sql`SELECT pg_sleep(10) AS slow_timeout_marker`.execute(tx)
        return ok(true)
      },
      interrupted,
    )
    expect(result).toMatchObject({ ok: false, code: 'PREVIEW_TIMED_OUT' })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(await notes()).toEqual([])
    expect(await running('slow_timeout_marker')).toEqual([])
  })

  it('cancels the running statement in the database when the signal aborts', async () => {
    const controller = new AbortController()
    const result = boundedTransaction(
      db,
      { timeoutMs: 60_000, signal: controller.signal, purpose: 'test' },
      async (tx) => {
        await sql`SELECT pg_sleep(30) AS slow_cancel_marker`.execute(tx)
        return ok(true)
      },
      interrupted,
    )
    await expect.poll(() => running('slow_cancel_marker'), { timeout: 5000, interval: 50 }).toHaveLength(1)
    const aborted = Date.now()
    controller.abort()
    expect(await result).toMatchObject({ ok: false, code: 'PREVIEW_CANCELLED' })
    expect(Date.now() - aborted).toBeLessThan(1000)
    expect(await running('slow_cancel_marker')).toEqual([])
  })

  it('stops between statements too: a statement asked for after the abort never runs', async () => {
    const controller = new AbortController()
    const result = await boundedTransaction(
      db,
      { timeoutMs: 60_000, signal: controller.signal, purpose: 'test' },
      async (tx) => {
        await sql`INSERT INTO bounded_notes VALUES ('first')`.execute(tx)
        controller.abort()
        await sql`INSERT INTO bounded_notes VALUES ('second')`.execute(tx)
        return ok(true)
      },
      interrupted,
    )
    expect(result).toMatchObject({ ok: false, code: 'PREVIEW_CANCELLED' })
    expect(await notes()).toEqual([])
  })

  it('keeps its statement timeout and name to itself: the pooled connection is as before afterwards', async () => {
    await db.connection().execute(async (one) => {
      const settings = () =>
        sql<{
          timeout: string
          name: string
        }>`SELECT current_setting('statement_timeout') AS timeout, current_setting('application_name') AS name`.execute(one)
      const before = (await settings()).rows[0]
      const inside = await boundedTransaction(
        one,
        { timeoutMs: 1234, purpose: 'test' },
        async (tx) =>
          ok(
            (
              await sql<{
                timeout: string
                name: string
              }>`SELECT current_setting('statement_timeout') AS timeout, current_setting('application_name') AS name`.execute(tx)
            ).rows[0],
          ),
        interrupted,
      )
      expect(inside).toMatchObject({
        ok: true,
        value: { timeout: '1234ms', name: expect.stringMatching(/^reachloop test [0-9a-f-]{36}$/) },
      })
      expect((await settings()).rows[0]).toEqual(before)
    })
  })

  it('commits what the work did when it finishes in time, and rolls back an expected failure', async () => {
    const kept = await boundedTransaction(
      db,
      { timeoutMs: 5000, purpose: 'test' },
      async (tx) => {
        await sql`INSERT INTO bounded_notes VALUES ('kept')`.execute(tx)
        return ok('done')
      },
      interrupted,
    )
    expect(kept).toEqual({ ok: true, value: 'done' })
    const refused = await boundedTransaction(
      db,
      { timeoutMs: 5000, purpose: 'test' },
      async (tx) => {
        await sql`INSERT INTO bounded_notes VALUES ('refused')`.execute(tx)
        return fail('SEGMENT_NOT_FOUND')
      },
      interrupted,
    )
    expect(refused).toMatchObject({ ok: false, code: 'SEGMENT_NOT_FOUND' })
    expect(await notes()).toEqual(['kept'])
  })
})
