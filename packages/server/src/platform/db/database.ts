import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Failure, Result } from '@reachloop/domain'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres, type SupervisorLog } from './embedded-postgres.js'
import { embeddedPostgresAvailable } from './postgres-binaries.js'
import type { DB } from './schema.js'

/** Which engine serves the one PostgreSQL dialect: a PostgreSQL server (external or embedded), or PGlite in the process. */
export type Engine = 'pglite' | 'postgres'

/** What serves the database when no DATABASE_URL is given: an embedded PostgreSQL server, or PGlite. */
export type EmbeddedEngine = 'embedded' | 'pglite'

/** An open database: the query builder, which engine, and how to close it. */
export interface Database {
  db: Kysely<DB>
  engine: Engine
  /** The embedded PostgreSQL server this process reaches (absent on PGlite and on an external server). */
  embedded?: EmbeddedPostgres
  /**
   * Tells the database that `rows` were written. PGlite has no autovacuum, so without this its
   * planner keeps the statistics of an empty database and scans whole tables (380 ms instead of
   * 4 ms for an identifier lookup at 400k identifiers); it re-analyzes after every 25 % of growth.
   */
  noteWrites(rows: number): void
  /**
   * Brings the planner's statistics up to date after a bulk load (the demo, an import). Autovacuum
   * gets there within a minute or so; a segment preview just after planned on an empty `events`
   * (a sequence condition took over 120 s instead of 0.5 s at 50,000 customers).
   */
  analyze(): Promise<void>
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
    // The tables ingestion and segments look up, from a small sample (3,000 rows, a fraction of a
    // second on the single connection): enough for the planner to know their sizes and the event names.
    db.transaction().execute(async (tx) => {
      await sql`SET LOCAL default_statistics_target = 10`.execute(tx)
      await sql`ANALYZE profile_identifiers, profiles, events`.execute(tx)
    }).then(
      () => (running = false),
      () => (running = false),
    )
  }
}

const analyze = async (db: Kysely<DB>) => {
  await sql`ANALYZE`.execute(db)
}

/** The query builder or a transaction of it. */
export type Executor = Kysely<DB> | Transaction<DB>

const INT8_OID = 20
const NUMERIC_OID = 1700

export interface OpenOptions {
  /** An external PostgreSQL server; when absent the embedded engine serves `dataDir`. */
  databaseUrl?: string | undefined
  dataDir?: string
  /** Default: `embedded`, or `pglite` when `dataDir` already holds a PGlite database. `memory://` is always PGlite. */
  embeddedEngine?: EmbeddedEngine | undefined
  /** Whether this process supervises the embedded server (a server process; a CLI command only attaches). */
  supervise?: boolean
  poolSize?: number
  log?: SupervisorLog
  onIdleClientError?: (error: Error) => void
  /** The embedded server died and could not be restarted. */
  onFatal?: (error: Error) => void
}

/**
 * The engine for `dataDir`: as configured, else PGlite where a PGlite database already is or where
 * no PostgreSQL binaries run (another platform, a musl system), else the embedded server.
 */
export function chooseEmbeddedEngine(dataDir: string | undefined, configured: EmbeddedEngine | undefined): EmbeddedEngine {
  if (dataDir === undefined || dataDir === 'memory://') return 'pglite'
  if (configured) return configured
  // PGlite keeps its cluster in the data directory itself; the embedded server keeps its own in `postgres/`.
  if (existsSync(join(dataDir, 'PG_VERSION'))) return 'pglite'
  return embeddedPostgresAvailable() ? 'embedded' : 'pglite'
}

/**
 * Opens PostgreSQL at `databaseUrl`, or else the embedded engine in `dataDir`: a PostgreSQL server
 * it starts or attaches to, or PGlite. All parse bigint columns as numbers so queries behave the
 * same on every engine.
 *
 * @example
 * const { db } = await openDatabase({ dataDir: './data' })
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (!options.databaseUrl && chooseEmbeddedEngine(options.dataDir, options.embeddedEngine) === 'embedded') {
    const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir ?? './data', supervise: options.supervise ?? false, ...(options.log ? { log: options.log } : {}), ...(options.onFatal ? { onFatal: options.onFatal } : {}) })
    try {
      const database = await openDatabase({ ...options, databaseUrl: embedded.url })
      return {
        ...database,
        embedded,
        close: async () => {
          await database.close()
          await embedded.stop()
        },
      }
    } catch (error) {
      await embedded.stop()
      throw error
    }
  }
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
    return { db, engine: 'postgres', noteWrites: () => undefined, analyze: () => analyze(db), close: () => db.destroy() }
  }
  const dataDir = options.dataDir
  if (dataDir !== undefined && dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir === undefined || dataDir === 'memory://' ? undefined : dataDir, {
    parsers: { [INT8_OID]: (value: string) => Number(value), [NUMERIC_OID]: (value: string) => value },
  })
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return { db, engine: 'pglite', noteWrites: autoAnalyze(db), analyze: () => analyze(db), close: () => db.destroy() }
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
