import { openDatabase, type Database } from '../platform/db/database.js'
import { migrate } from '../platform/db/migrate.js'
import type { ModuleManifest } from '../platform/modules/module-manifest.js'
import { moduleMigrations } from '../runtime/modules.js'
import { createScratchDatabase } from './scratch-database.js'

/** The PostgreSQL server the tests use: the configured one, or the embedded server the global setup started. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL

/** A migrated database of its own for one test file: a new PostgreSQL database, dropped at close. */
export interface TestDatabase {
  database: Database
  /** Connection string of the fresh database. */
  url: string
  drop(): Promise<void>
}

/**
 * Creates the database on the PostgreSQL server at `serverUrl` (default: the environment's).
 *
 * @example
 * const t = await createTestDatabase()
 */
export async function createTestDatabase(
  serverUrl: string | undefined = TEST_DATABASE_URL,
  modules?: readonly ModuleManifest[],
): Promise<TestDatabase> {
  if (!serverUrl)
    throw new Error(
      'No PostgreSQL server for the test database: run the tests with vitest (its global setup starts an embedded server), or set DATABASE_URL / TEST_DATABASE_URL.',
    )
  const scratch = await createScratchDatabase(serverUrl, 'rl_test')
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 10 })
  await migrate(database.db, moduleMigrations(modules))
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close()
      await scratch.drop()
    },
  }
}
