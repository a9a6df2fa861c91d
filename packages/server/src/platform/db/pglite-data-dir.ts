import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Thrown when the data directory holds a PGlite database, made by an earlier Reachloop that could
 * run on PGlite. This version has no PGlite and cannot open it; nothing in the directory is touched.
 */
export class PGliteDataDirError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data directory ${dataDir} holds a PGlite database (its PG_VERSION file is directly in the data directory), ` +
        'made by an earlier version of Reachloop. This version no longer supports PGlite and cannot open it; the directory was left untouched. ' +
        'Start with a new DATA_DIR (an empty or absent folder), where the embedded PostgreSQL creates a new database, ' +
        'or set DATABASE_URL to a PostgreSQL server. The earlier version of Reachloop still opens this one.',
    )
    this.name = 'PGliteDataDirError'
  }
}

/**
 * Refuses a data directory that holds a PGlite database, before anything is written to it: the
 * embedded server would otherwise make a cluster of its own in `postgres/` beside it, and the
 * customer data would seem lost. PGlite keeps its cluster in the data directory itself.
 *
 * @throws PGliteDataDirError when `dataDir/PG_VERSION` exists
 * @example
 * refusePGliteDataDir(config.dataDir)
 */
export function refusePGliteDataDir(dataDir: string): void {
  if (existsSync(join(dataDir, 'PG_VERSION'))) throw new PGliteDataDirError(dataDir)
}
