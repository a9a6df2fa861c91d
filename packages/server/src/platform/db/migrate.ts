import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.js'
import { splitSql } from './split-sql.js'

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url))
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 72_210_001

/** A migration a module ships in its own folder (as code, so the build carries it): a name that sorts among the files', and its SQL. */
export interface Migration {
  name: string
  sql: string
}

/** The migration files, in the order they apply. */
export async function migrationFiles(dir = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
}

/**
 * Every migration, files and the modules' `migrations`, in name order. Two of one name are refused:
 * the later would never apply.
 */
export async function allMigrations(modules: readonly Migration[], dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = await Promise.all((await migrationFiles(dir)).map(async (name) => ({ name, sql: await readFile(`${dir}${name}`, 'utf8') })))
  const all = [...files, ...modules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const twice = all.find((m, i) => all[i + 1]?.name === m.name)
  if (twice) throw new Error(`Two migrations are named ${twice.name}`)
  return all
}

/**
 * Applies the forward-only SQL migrations not yet applied (the files, and those the modules ship),
 * each in its own transaction. A transaction-level advisory lock keeps concurrent starts from
 * applying one twice.
 *
 * @returns the names of the migrations applied now
 */
export async function migrate(db: Kysely<DB>, modules: readonly Migration[] = [], dir = MIGRATIONS_DIR): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)`.execute(db)
  const applied: string[] = []
  for (const { name, sql: text } of await allMigrations(modules, dir)) {
    const done = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(tx)
      const exists = await tx.selectFrom('schema_migrations').select('name').where('name', '=', name).executeTakeFirst()
      if (exists) return false
      // A migration file is trusted SQL shipped with the code, never user input.
      for (const statement of splitSql(text)) await sql.raw(statement).execute(tx)
      await tx.insertInto('schema_migrations').values({ name, applied_at: new Date() }).execute()
      return true
    })
    if (done) applied.push(name)
  }
  return applied
}

/** Migrations that exist as files but are not applied: empty when the schema is current. */
export async function pendingMigrations(db: Kysely<DB>, modules: readonly Migration[] = [], dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await allMigrations(modules, dir)).map((m) => m.name)
  const rows = await db
    .selectFrom('schema_migrations')
    .select('name')
    .execute()
    .catch(() => [])
  const applied = new Set(rows.map((r) => r.name))
  return files.filter((f) => !applied.has(f))
}
