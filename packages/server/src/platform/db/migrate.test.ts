import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase } from '../../test-support/test-database.js'
import { migrate, migrationFiles, pendingMigrations } from './migrate.js'
import { splitSql } from './split-sql.js'

describe('migrations', () => {
  it('apply once: a second run, even concurrent, applies nothing and the schema is current', async () => {
    const t = await createTestDatabase()
    try {
      const again = await Promise.all([migrate(t.database.db), migrate(t.database.db)])
      expect(again).toEqual([[], []])
      expect(await pendingMigrations(t.database.db)).toEqual([])
      const applied = await t.database.db.selectFrom('schema_migrations').select('name').orderBy('name').execute()
      // The platform's files, and the migrations the modules ship (as code) beside them.
      expect(applied.map((r) => r.name)).toEqual(expect.arrayContaining(await migrationFiles()))
      expect(applied.length).toBeGreaterThan((await migrationFiles()).length)
    } finally {
      await t.drop()
    }
  })

  it('give counts as numbers (bigint parsed as a number)', async () => {
    const t = await createTestDatabase()
    try {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM schema_migrations`.execute(t.database.db)
      expect(typeof rows[0]?.n).toBe('number')
    } finally {
      await t.drop()
    }
  })
})

describe('splitSql', () => {
  it('splits at top-level semicolons only', () => {
    const script = `-- a comment; not a split\nCREATE TABLE a (x text DEFAULT ';');\n/* block; */ INSERT INTO a VALUES ('it''s; fine');\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n`
    expect(splitSql(script)).toEqual([
      "-- a comment; not a split\nCREATE TABLE a (x text DEFAULT ';')",
      "/* block; */ INSERT INTO a VALUES ('it''s; fine')",
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
    ])
  })
})
