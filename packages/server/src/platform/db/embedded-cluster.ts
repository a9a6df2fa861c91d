import { spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import type { PostgresBinaries } from './postgres-binaries.js'
import { processAlive } from './postmaster-pid.js'

/** The cluster of the embedded PostgreSQL: how it is made, run, reached and stopped. */

/** Thrown when the embedded PostgreSQL cannot be started or reached; the message says why and what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EmbeddedPostgresError'
  }
}

/**
 * How often autovacuum looks at each table (PostgreSQL's default is a minute). Autovacuum keeps the
 * planner's statistics of every table that grows — the event log, memberships, values and whatever
 * later modules add — without the platform naming them; a planner that believes `events` empty
 * plans a segment preview for minutes instead of a second.
 */
export const AUTOVACUUM_NAPTIME = '10s'

export const USER = 'reachloop'
export const DATABASE = 'reachloop'
export const READY_TIMEOUT_MS = 120_000

/** How the server is run: PostgreSQL refuses to run as root. */
export type RunAs = { kind: 'self' } | { kind: 'namespace' } | { kind: 'user'; uid: number; gid: number }

let runAsCache: RunAs | undefined
/**
 * As root, PostgreSQL runs in a user namespace where root is mapped to `nobody`: its files stay
 * root's, so any data directory and install location root can reach works, and no system user is
 * created. Where user namespaces are refused (a container's seccomp profile), it runs as `nobody`
 * and the cluster's folder is given to that user.
 */
export function runAs(): RunAs {
  if (runAsCache) return runAsCache
  if (process.getuid?.() !== 0) return (runAsCache = { kind: 'self' })
  const probe = spawnSync('unshare', ['--user', '--map-user=65534', '--map-group=65534', 'true'], { stdio: 'ignore' })
  if (probe.status === 0) return (runAsCache = { kind: 'namespace' })
  const id = (flag: string) => Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim())
  const uid = id('-u')
  const gid = id('-g')
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0)
    throw new EmbeddedPostgresError(
      'Running as root, the embedded PostgreSQL needs a user namespace (the unshare command) or a `nobody` user; this system has neither. Run Reachloop as a normal user, or set DATABASE_URL to a PostgreSQL server.',
    )
  return (runAsCache = { kind: 'user', uid, gid })
}

/** The command and spawn options that run `program` the way `runAs` chose. */
export function command(
  program: string,
  args: string[],
  how: RunAs,
): { file: string; args: string[]; ids: { uid?: number; gid?: number } } {
  if (how.kind === 'namespace')
    return { file: 'unshare', args: ['--user', '--map-user=65534', '--map-group=65534', program, ...args], ids: {} }
  if (how.kind === 'user') return { file: program, args, ids: { uid: how.uid, gid: how.gid } }
  return { file: program, args, ids: {} }
}

/** Gives `path` and everything under it to `uid` (only when run as `nobody`: see `runAs`). */
export function chownTree(path: string, uid: number, gid: number): void {
  if (!existsSync(path) || statSync(path).uid === uid) return
  chownSync(path, uid, gid)
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid)
}

/** The cluster's password, made on first use and kept beside the cluster, readable by this user only. */
export function password(dataDir: string): string {
  const file = join(dataDir, 'postgres.secret')
  try {
    writeFileSync(file, randomBytes(24).toString('base64url'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readFileSync(file, 'utf8').trim()
}

export const tail = (file: string, lines = 15): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/** Keeps one older log beside the current one, so PostgreSQL's log does not grow without end. */
export const rotate = (file: string, maxBytes = 10 * 1024 * 1024) => {
  if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`)
}

export const urlOf = (port: number, secret: string, database = DATABASE) =>
  `postgres://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`

/**
 * Connects once; true when the server answers a query as our user. A server that refuses our
 * password is not ours (its cluster was made with another `postgres.secret`): waiting will not help.
 */
export async function answers(port: number, secret: string, pgdata: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlOf(port, secret, 'postgres'), connectionTimeoutMillis: 2_000 })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === '28P01' || code === '28000')
      throw new EmbeddedPostgresError(
        `The PostgreSQL server on port ${port} refuses the password in postgres.secret beside ${pgdata}: the secret file does not belong to this cluster. Put back the postgres.secret that was copied with it.`,
      )
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Creates the cluster in a folder of its own, then moves it into place, so a crash during initdb leaves nothing half-made. */
export function initCluster(bin: PostgresBinaries, dataDir: string, pgdata: string, secret: string, how: RunAs): void {
  const staging = `${pgdata}.init-${process.pid}`
  const pwfile = join(dataDir, `postgres.pwfile-${process.pid}`)
  rmSync(staging, { recursive: true, force: true })
  writeFileSync(pwfile, `${secret}\n`, { mode: 0o600 })
  try {
    if (how.kind === 'user') {
      chownSync(dataDir, how.uid, how.gid)
      chownSync(pwfile, how.uid, how.gid)
    }
    const run = command(
      bin.initdb,
      ['-D', staging, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      how,
    )
    const result = spawnSync(run.file, run.args, { ...run.ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } })
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(
        `initdb could not create the embedded PostgreSQL cluster in ${pgdata}: ${(result.stderr || result.error?.message || '').trim()}`,
      )
    }
    try {
      renameSync(staging, pgdata)
    } catch (error) {
      // Another process created the cluster first: use that one.
      if (!existsSync(join(pgdata, 'PG_VERSION'))) throw error
    }
  } finally {
    rmSync(pwfile, { force: true })
    rmSync(staging, { recursive: true, force: true })
  }
}

/** Creates Reachloop's database on first start. */
export async function ensureDatabase(port: number, secret: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf(port, secret, 'postgres') })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
    // The name is a constant of this file, not input.
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error // created by another process meanwhile
      })
  } finally {
    await client.end()
  }
}

/** Connections of other processes (the caller has closed its own pool). */
export async function otherClients(port: number, secret: string): Promise<number> {
  const client = new pg.Client({ connectionString: urlOf(port, secret, 'postgres') })
  client.on('error', () => undefined)
  try {
    await client.connect()
    const result = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    )
    return result.rows[0]?.n ?? 0
  } catch {
    return 0
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Smart shutdown (no new sessions, the open ones end), then fast, then immediate if it hangs. */
export async function shutdown(pid: number, child: ChildProcess | undefined): Promise<void> {
  const exited = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const deadline = Date.now() + ms
      const poll = () => {
        if (!processAlive(pid) || child?.exitCode != null || child?.signalCode != null) return resolve(true)
        if (Date.now() > deadline) return resolve(false)
        setTimeout(poll, 50)
      }
      poll()
    })
  for (const [signal, ms] of [
    ['SIGTERM', 30_000],
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal)
    } catch {
      return
    }
    if (await exited(ms)) return
  }
}
