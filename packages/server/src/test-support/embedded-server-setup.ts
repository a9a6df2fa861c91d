import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../platform/db/embedded-postgres.js'

/**
 * Vitest global setup: the suite runs on an embedded PostgreSQL server, unless a PostgreSQL server
 * is configured (DATABASE_URL / TEST_DATABASE_URL). One server for the whole run, in a temporary
 * data directory; each test file makes a database of its own on it, as on an external server. The
 * forked test workers inherit its URL.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) return undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-test-pg-'))
  const server = await startEmbeddedPostgres({ dataDir, supervise: false })
  process.env.TEST_DATABASE_URL = server.url
  return async () => {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
