import { sql } from 'kysely'
import { type Database, openDatabase } from '@reachloop/server/testing'
import type { EngineEnv } from './engine-env.js'

/**
 * Opens the engine's database from the bench process, as Reachloop does: the embedded PostgreSQL
 * (attaching to the running one), or the external server.
 */
export const openEngineDatabase = (environment: EngineEnv): Promise<Database> =>
  openDatabase(environment.engine === 'postgres' ? { databaseUrl: environment.env.DATABASE_URL } : { dataDir: environment.dataDir })

/**
 * Cancels the preview and computed-property queries still running on a PostgreSQL server after their client gave up
 * (the platform does not cancel them), so that later figures do not share the CPU with them.
 * Returns how many were cancelled.
 */
export async function cancelAbandonedQueries(environment: EngineEnv): Promise<number> {
  const database = await openEngineDatabase(environment)
  try {
    const { rows } = await sql<{ cancelled: boolean }>`
      SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
        AND (query LIKE '%WITH target AS MATERIALIZED%' OR query LIKE '%computed_values%')`.execute(database.db)
    return rows.filter((r) => r.cancelled).length
  } finally {
    await database.close()
  }
}
