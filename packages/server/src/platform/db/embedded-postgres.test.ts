import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './database.js'
import { PGliteDataDirError } from './pglite-data-dir.js'
import { processAlive, readPostmaster } from './postmaster-pid.js'

const dirs: string[] = []
const opened: Database[] = []
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'reachloop-embedded-'))
  dirs.push(dir)
  return dir
}
const open = async (dataDir: string, supervise: boolean, onFatal?: (error: Error) => void) => {
  const database = await openDatabase({ dataDir, supervise, poolSize: 2, ...(onFatal ? { onFatal } : {}) })
  opened.push(database)
  return database
}
/** Every file and folder under `dir` with its contents, to show nothing was written. */
const listing = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((name) => [name, statSync(join(dir, name)).isDirectory() ? '<folder>' : readFileSync(join(dir, name), 'utf8')]),
  )
const answer = async (database: Database) => (await sql<{ n: number }>`SELECT 41 + 1 AS n`.execute(database.db)).rows[0]?.n
const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

afterEach(async () => {
  for (const database of opened.splice(0)) await database.close().catch(() => undefined)
  for (const dir of dirs.splice(0)) {
    const running = readPostmaster(join(dir, 'postgres'))
    if (running && processAlive(running.pid)) process.kill(running.pid, 'SIGQUIT')
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('the embedded PostgreSQL server', () => {
  it('keeps the statistics of a table that grows by itself (autovacuum), without anyone running ANALYZE', async () => {
    const database = await open(newDataDir(), false)
    await sql`CREATE TABLE growing (id int, name text)`.execute(database.db)
    await sql`INSERT INTO growing SELECT i, 'event ' || i FROM generate_series(1, 20000) AS i`.execute(database.db)
    const analyzed = async () =>
      (await sql<{ n: number }>`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'growing'`.execute(database.db)).rows[0]?.n ?? -1
    // Before autovacuum's round the planner knows nothing of the rows (-1: never analyzed).
    expect(await analyzed()).toBe(-1)
    await until('autovacuum to analyze the table', async () => (await analyzed()) === 20000, 60_000)
  }, 90_000)

  it('creates its cluster in an empty data directory, keeps its password private, and serves queries', async () => {
    const dataDir = newDataDir()
    const database = await open(dataDir, false)
    expect(database.engine).toBe('postgres')
    expect(database.embedded?.started).toBe(true)
    expect(await answer(database)).toBe(42)
    expect(readFileSync(join(dataDir, 'postgres', 'PG_VERSION'), 'utf8').trim()).toBe('18')
    expect(statSync(join(dataDir, 'postgres.secret')).mode & 0o077).toBe(0)
    // It listens on the loopback interface only, and asks for the password.
    const url = new URL(database.embedded?.url ?? '')
    expect(url.hostname).toBe('127.0.0.1')
    const pg = (await import('pg')).default
    const intruder = new pg.Client({
      host: '127.0.0.1',
      port: Number(url.port),
      user: 'reachloop',
      password: 'wrong',
      database: 'reachloop',
    })
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/)
  })

  it('is shared by a second process, and the last one to leave stops it', async () => {
    const dataDir = newDataDir()
    const first = await open(dataDir, true)
    const second = await open(dataDir, false)
    expect(second.embedded?.started).toBe(false)
    expect(second.embedded?.pid()).toBe(first.embedded?.pid())
    const pid = first.embedded?.pid() ?? 0
    await first.close()
    // The second process is still connected: the server stays up for it.
    expect(processAlive(pid)).toBe(true)
    expect(await answer(second)).toBe(42)
    await second.close()
    await until('the server to stop', () => !processAlive(pid))
    expect(readPostmaster(join(dataDir, 'postgres'))).toBeNull()
  })

  it('restarts PostgreSQL on the same port when it dies under a supervising process', async () => {
    const dataDir = newDataDir()
    const fatal: Error[] = []
    const database = await open(dataDir, true, (error) => fatal.push(error))
    const before = database.embedded?.pid() ?? 0
    process.kill(before, 'SIGKILL')
    await until('a new postmaster', () => (database.embedded?.pid() ?? before) !== before)
    await until('queries to work again', () =>
      answer(database).then(
        (n) => n === 42,
        () => false,
      ),
    )
    expect(fatal).toEqual([])
    expect(readFileSync(join(dataDir, 'postgres.log'), 'utf8')).toContain('database system is ready to accept connections')
  })

  it('starts after a crash left postmaster.pid naming a process that is alive but is not PostgreSQL', async () => {
    const dataDir = newDataDir()
    const database = await open(dataDir, false)
    const pid = database.embedded?.pid() ?? 0
    process.kill(pid, 'SIGKILL')
    await until('the server to die', () => !processAlive(pid))
    await database.close().catch(() => undefined)
    // After a reboot the old pid may belong to anything: here, this test process.
    const file = join(dataDir, 'postgres', 'postmaster.pid')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^\d+/, String(process.pid)))
    const again = await open(dataDir, false)
    expect(again.embedded?.started).toBe(true)
    expect(await answer(again)).toBe(42)
  })
})

describe('the embedded PostgreSQL server, when its data directory is wrong', () => {
  it('says at once that postgres.secret does not belong to the cluster, and leaves no server running', async () => {
    const dataDir = newDataDir()
    await (await open(dataDir, false)).close()
    writeFileSync(join(dataDir, 'postgres.secret'), 'not-the-password')
    const started = Date.now()
    await expect(open(dataDir, false)).rejects.toThrow(/refuses the password in postgres\.secret/)
    expect(Date.now() - started).toBeLessThan(20_000)
    await until(
      'the refused server to stop',
      () => readPostmaster(join(dataDir, 'postgres')) === null || !processAlive(readPostmaster(join(dataDir, 'postgres'))?.pid ?? 0),
    )
  })
})

describe('a data directory made by an earlier Reachloop on PGlite', () => {
  it('is refused with what it is and what to do, and left exactly as it was', async () => {
    const dataDir = newDataDir()
    // PGlite kept its cluster in the data directory itself: PG_VERSION at the top, base/, global/…
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n')
    mkdirSync(join(dataDir, 'base'))
    writeFileSync(join(dataDir, 'base', '1'), 'customer data')
    const before = listing(dataDir)
    const refused = openDatabase({ dataDir, supervise: true })
    await expect(refused).rejects.toBeInstanceOf(PGliteDataDirError)
    await expect(refused).rejects.toThrow(`The data directory ${dataDir} holds a PGlite database`)
    await expect(refused).rejects.toThrow('This version no longer supports PGlite and cannot open it')
    await expect(refused).rejects.toThrow('Start with a new DATA_DIR')
    expect(listing(dataDir)).toEqual(before)
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false)
    expect(existsSync(join(dataDir, 'postgres.secret'))).toBe(false)
  })
})
