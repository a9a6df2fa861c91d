import { randomUUID } from 'node:crypto'
import pg from 'pg'

/** A new, empty database on a PostgreSQL server, for one test file or bench run. */
export interface ScratchDatabase {
  /** Connection string of the new database. */
  url: string
  /** Drops it, closing whatever still connects to it. */
  drop(): Promise<void>
}

/**
 * Creates a database named `<prefix>_<hex>` on the server at `serverUrl`.
 *
 * @example
 * const scratch = await createScratchDatabase('postgres://postgres@127.0.0.1:5432/test', 'rl_bench')
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`)
  // A database name cannot be a bind parameter; this one is checked above to be a plain identifier.
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await run(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}
