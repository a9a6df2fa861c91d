import type { Failure, Result } from '@reachloop/domain'
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres, type SupervisorLog } from './embedded-postgres.js'
import type { DB } from './schema.js'

/**
 * What serves the database: always a PostgreSQL server, external (DATABASE_URL) or the embedded
 * one, since PGlite was dropped (see `openDatabase`). The field stays for the callers that branched on it.
 */
export type Engine = 'postgres'

/** An open database: the query builder, which engine, and how to close it. */
export interface Database {
  db: Kysely<DB>
  engine: Engine
  /** The embedded PostgreSQL server this process reaches (absent on an external server). */
  embedded?: EmbeddedPostgres
  /**
   * Brings the planner's statistics up to date after a bulk load (the demo, an import). Autovacuum
   * gets there within a minute or so; a segment preview just after planned on an empty `events`
   * (a sequence condition took over 120 s instead of 0.5 s at 50,000 customers).
   */
  analyze(): Promise<void>
  close(): Promise<void>
}

/** The query builder or a transaction of it. */
export type Executor = Kysely<DB> | Transaction<DB>

const INT8_OID = 20

export interface OpenOptions {
  /** An external PostgreSQL server; when absent the embedded PostgreSQL server serves `dataDir`. */
  databaseUrl?: string | undefined
  /** Reachloop's data directory for the embedded server (default `./data`). */
  dataDir?: string
  /** Whether this process supervises the embedded server (a server process; a CLI command only attaches). */
  supervise?: boolean
  poolSize?: number
  log?: SupervisorLog
  onIdleClientError?: (error: Error) => void
  /** The embedded server died and could not be restarted. */
  onFatal?: (error: Error) => void
}

/**
 * Opens PostgreSQL at `databaseUrl`, or else the embedded PostgreSQL server of `dataDir`, which it
 * starts or attaches to. There is no other engine: where the embedded binaries cannot run (musl,
 * another platform) or `dataDir` holds an old PGlite database, it throws with a message saying
 * what to do, and writes nothing. Bigint columns are parsed as numbers.
 *
 * Why no fallback to PGlite, the in-process engine (docs/storage.md has the figures): it ran on the
 * Node main thread, so any query over a few hundred ms froze every request (`/healthz` p99 3,595 ms
 * during an RFM computation, against 31 ms on the embedded server); it had no autovacuum, so the
 * statistics went stale; it had one connection and no way to cancel a running statement; and the
 * embedded server did better on ingest, the demo build, previews and memory.
 *
 * @throws PGliteDataDirError, NoPostgresBinariesError, EmbeddedPostgresError (from the embedded server)
 * @example
 * const { db } = await openDatabase({ dataDir: './data' })
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (!options.databaseUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir ?? './data',
      supervise: options.supervise ?? false,
      ...(options.log ? { log: options.log } : {}),
      ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    })
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
  return {
    db,
    engine: 'postgres',
    analyze: async () => {
      await sql`ANALYZE`.execute(db)
    },
    close: () => db.destroy(),
  }
}

class Rollback extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code)
  }
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction lost a race and may simply run again. */
const RETRIABLE = new Set(['40P01', '40001'])
const ATTEMPTS = 3

/**
 * Runs `work` in a transaction that commits on success and rolls back when `work` returns an
 * expected failure (or throws), so a refused request leaves nothing half-written. A transaction
 * PostgreSQL aborts as the loser of a deadlock (say, an operator's delete against the log consumer
 * moving the same segment's members) runs again, up to 3 times in all, so `work` must do nothing
 * outside the transaction that cannot be done twice.
 *
 * @example
 * return transact(ctx.db, async (tx) => (await exists(tx)) ? fail('USER_EXISTS') : ok(await insert(tx)))
 */
export async function transact<T>(db: Kysely<DB>, work: (tx: Transaction<DB>) => Promise<Result<T>>): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (tx) => {
        const result = await work(tx)
        if (!result.ok) throw new Rollback(result)
        return result
      })
    } catch (error) {
      if (error instanceof Rollback) return error.failure
      const code = (error as { code?: unknown }).code
      if (attempt < ATTEMPTS && typeof code === 'string' && RETRIABLE.has(code)) continue
      throw error
    }
  }
}
