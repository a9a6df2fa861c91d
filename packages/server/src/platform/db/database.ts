import { mkdirSync } from 'node:fs'
import type { Failure, Result } from '@reachloop/domain'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.js'

/** Which engine serves the one PostgreSQL dialect. */
export type Engine = 'pglite' | 'postgres'

/** An open database: the query builder, which engine, and how to close it. */
export interface Database {
  db: Kysely<DB>
  engine: Engine
  /**
   * Tells the database that `rows` were written. PGlite has no autovacuum, so without this its
   * planner keeps the statistics of an empty database and scans whole tables (380 ms instead of
   * 4 ms for an identifier lookup at 400k identifiers); it re-analyzes after every 25 % of growth.
   */
  noteWrites(rows: number): void
  close(): Promise<void>
}

/** Runs ANALYZE in the background whenever the rows written since the last one pass 25 % of the total (at least 20,000). */
function autoAnalyze(db: Kysely<DB>): (rows: number) => void {
  let pending = 0
  let total = 0
  let running = false
  return (rows) => {
    pending += rows
    if (running || pending < Math.max(20_000, total * 0.25)) return
    running = true
    total += pending
    pending = 0
    // Only the tables ingestion looks up (analyzing the event log itself would stall the single
    // connection), from a small sample: enough for the planner to know the tables' sizes.
    db.transaction().execute(async (tx) => {
      await sql`SET LOCAL default_statistics_target = 10`.execute(tx)
      await sql`ANALYZE profile_identifiers, profiles`.execute(tx)
    }).then(
      () => (running = false),
      () => (running = false),
    )
  }
}

/** The query builder or a transaction of it. */
export type Executor = Kysely<DB> | Transaction<DB>

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * Opens PostgreSQL at `databaseUrl`, or else the embedded PGlite in `dataDir`. Both parse bigint
 * columns as numbers so queries behave the same on both engines.
 *
 * @example
 * const { db } = await openDatabase({ dataDir: './data' })
 */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string; poolSize?: number; onIdleClientError?: (error: Error) => void }): Promise<Database> {
  if (options.databaseUrl) {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return (value: string) => Number(value)
        return pg.types.getTypeParser(oid, format)
      },
    }
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, types })
    // An idle connection can be closed by the server (restart, failover, DROP DATABASE … FORCE); the pool
    // discards it and opens another. Without a listener that 'error' would crash the process.
    pool.on('error', (error) => options.onIdleClientError?.(error))
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    await sql`select 1`.execute(db)
    // PostgreSQL's autovacuum keeps its statistics current.
    return { db, engine: 'postgres', noteWrites: () => undefined, close: () => db.destroy() }
  }
  const dataDir = options.dataDir
  if (dataDir !== undefined && dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir === undefined || dataDir === 'memory://' ? undefined : dataDir, {
    parsers: { [INT8_OID]: (value: string) => Number(value), [NUMERIC_OID]: (value: string) => value },
  })
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return { db, engine: 'pglite', noteWrites: autoAnalyze(db), close: () => db.destroy() }
}

class Rollback extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code)
  }
}

/**
 * Runs `work` in a transaction that commits on success and rolls back when `work` returns an
 * expected failure (or throws), so a refused request leaves nothing half-written.
 *
 * @example
 * return transact(ctx.db, async (tx) => (await exists(tx)) ? fail('USER_EXISTS') : ok(await insert(tx)))
 */
export async function transact<T>(db: Kysely<DB>, work: (tx: Transaction<DB>) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await db.transaction().execute(async (tx) => {
      const result = await work(tx)
      if (!result.ok) throw new Rollback(result)
      return result
    })
  } catch (error) {
    if (error instanceof Rollback) return error.failure
    throw error
  }
}
