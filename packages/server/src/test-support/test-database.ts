import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, type Database } from '../platform/db/database.js'
import { migrate } from '../platform/db/migrate.js'
import { createScratchDatabase } from './scratch-database.js'

/**
 * The PostgreSQL server the tests use: the configured one, or the embedded server the global setup
 * started; unset (tests on PGlite) with TEST_ENGINE=pglite.
 */
export const TEST_DATABASE_URL = process.env.TEST_ENGINE === 'pglite' ? undefined : (process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL)

/** A migrated database of its own for one test file: PGlite in memory, or a new PostgreSQL database dropped at close. */
export interface TestDatabase {
  database: Database
  /** Connection string of the fresh PostgreSQL database (undefined on PGlite). */
  url: string | undefined
  drop(): Promise<void>
}

/** `serverUrl` picks the engine: a PostgreSQL server to create the database on, or null for PGlite (default: the environment's). */
export async function createTestDatabase(serverUrl: string | null = TEST_DATABASE_URL ?? null): Promise<TestDatabase> {
  if (!serverUrl) {
    // In memory, unless a bench's data outgrows it (TEST_PGLITE_DIR: a directory for it, removed at close).
    const dir = process.env.TEST_PGLITE_DIR ? mkdtempSync(join(process.env.TEST_PGLITE_DIR, 'pglite-')) : null
    const database = await openDatabase({ dataDir: dir ?? 'memory://' })
    await migrate(database.db)
    return {
      database,
      url: undefined,
      drop: async () => {
        await database.close()
        if (dir) rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const scratch = await createScratchDatabase(serverUrl, 'rl_test')
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 10 })
  await migrate(database.db)
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close()
      await scratch.drop()
    },
  }
}
