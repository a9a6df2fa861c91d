import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../net/free-port.js'
import { refusePGliteDataDir } from './pglite-data-dir.js'
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js'
import { isPostmasterOf, processAlive, readPostmaster, removeStalePostmaster } from './postmaster-pid.js'

/**
 * How often autovacuum looks at each table (PostgreSQL's default is a minute). Autovacuum keeps the
 * planner's statistics of every table that grows — the event log, memberships, values and whatever
 * later modules add — without the platform naming them; a planner that believes `events` empty
 * plans a segment preview for minutes instead of a second.
 */
const AUTOVACUUM_NAPTIME = '10s'

/** Where the log lines of the supervisor go (a pino logger fits). */
export interface SupervisorLog {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export interface EmbeddedPostgresOptions {
  /** Reachloop's data directory; the cluster lives in its `postgres` folder. */
  dataDir: string
  /**
   * A server process supervises: it adopts a PostgreSQL left running by another process, restarts it
   * when it dies, and stops it at shutdown. A CLI command only attaches, or starts one for its run.
   */
  supervise: boolean
  log?: SupervisorLog
  /** Called when PostgreSQL died and could not be brought back: the process cannot go on. */
  onFatal?: (error: Error) => void
}

/** A PostgreSQL server serving Reachloop's data directory, reached at `url`. */
export interface EmbeddedPostgres {
  url: string
  /** Pid of the postmaster. */
  pid: () => number
  /** Whether this process started it (else it attached to a running one). */
  started: boolean
  /**
   * Stops it, unless another process still has a connection open (a server, or a CLI command beside
   * it): that one goes on using it, and the last to leave stops it. Call after closing your own pool.
   */
  stop(): Promise<void>
}

/** Thrown when the embedded PostgreSQL cannot be started or reached; the message says why and what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EmbeddedPostgresError'
  }
}

const USER = 'reachloop'
const DATABASE = 'reachloop'
const READY_TIMEOUT_MS = 120_000
const silent: SupervisorLog = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** How the server is run: PostgreSQL refuses to run as root. */
type RunAs = { kind: 'self' } | { kind: 'namespace' } | { kind: 'user'; uid: number; gid: number }

let runAsCache: RunAs | undefined
/**
 * As root, PostgreSQL runs in a user namespace where root is mapped to `nobody`: its files stay
 * root's, so any data directory and install location root can reach works, and no system user is
 * created. Where user namespaces are refused (a container's seccomp profile), it runs as `nobody`
 * and the cluster's folder is given to that user.
 */
function runAs(): RunAs {
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
function command(program: string, args: string[], how: RunAs): { file: string; args: string[]; ids: { uid?: number; gid?: number } } {
  if (how.kind === 'namespace')
    return { file: 'unshare', args: ['--user', '--map-user=65534', '--map-group=65534', program, ...args], ids: {} }
  if (how.kind === 'user') return { file: program, args, ids: { uid: how.uid, gid: how.gid } }
  return { file: program, args, ids: {} }
}

/** Gives `path` and everything under it to `uid` (only when run as `nobody`: see `runAs`). */
function chownTree(path: string, uid: number, gid: number): void {
  if (!existsSync(path) || statSync(path).uid === uid) return
  chownSync(path, uid, gid)
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid)
}

/** The cluster's password, made on first use and kept beside the cluster, readable by this user only. */
function password(dataDir: string): string {
  const file = join(dataDir, 'postgres.secret')
  try {
    writeFileSync(file, randomBytes(24).toString('base64url'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readFileSync(file, 'utf8').trim()
}

const tail = (file: string, lines = 15): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/** Keeps one older log beside the current one, so PostgreSQL's log does not grow without end. */
const rotate = (file: string, maxBytes = 10 * 1024 * 1024) => {
  if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`)
}

const urlOf = (port: number, secret: string, database = DATABASE) =>
  `postgres://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`

/**
 * Connects once; true when the server answers a query as our user. A server that refuses our
 * password is not ours (its cluster was made with another `postgres.secret`): waiting will not help.
 */
async function answers(port: number, secret: string, pgdata: string): Promise<boolean> {
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
function initCluster(bin: PostgresBinaries, dataDir: string, pgdata: string, secret: string, how: RunAs): void {
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

/**
 * Starts (or attaches to) the PostgreSQL server of Reachloop's data directory, as a child process in
 * a process group of its own (Ctrl-C reaches Reachloop, which drains its work and then stops it).
 * Its log is `postgres.log` in the data directory.
 *
 * @throws PGliteDataDirError when the data directory holds a PGlite database (an earlier Reachloop's)
 * @throws NoPostgresBinariesError when the binaries cannot run on this machine (musl, another platform)
 * @example
 * const server = await startEmbeddedPostgres({ dataDir: './data', supervise: true })
 * const pool = new pg.Pool({ connectionString: server.url })
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? silent
  const dataDir = options.dataDir
  const pgdata = join(dataDir, 'postgres')
  const logFile = join(dataDir, 'postgres.log')
  // Both refusals come before anything is written: an old PGlite directory stays as it was.
  refusePGliteDataDir(dataDir)
  const bin = await postgresBinaries()
  mkdirSync(dataDir, { recursive: true })
  const how = runAs()
  const secret = password(dataDir)
  if (!existsSync(join(pgdata, 'PG_VERSION'))) initCluster(bin, dataDir, pgdata, secret, how)
  if (how.kind === 'user') chownTree(pgdata, how.uid, how.gid)

  let child: ChildProcess | undefined
  let onDeath: (() => void) | undefined
  let postmasterPid = 0
  let port = 0

  /** Attaches to the server named in postmaster.pid, if it is alive and answers. */
  const attach = async (): Promise<boolean> => {
    const running = readPostmaster(pgdata)
    if (!running) return false
    if (!isPostmasterOf(running.pid, pgdata)) {
      if (processAlive(running.pid))
        log.warn(
          { pid: running.pid },
          "postmaster.pid names a process that is not this data directory's PostgreSQL (left by a crash); removing it",
        )
      removeStalePostmaster(pgdata)
      return false
    }
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (Date.now() < deadline && processAlive(running.pid)) {
      if (await answers(running.port, secret, pgdata)) {
        postmasterPid = running.pid
        port = running.port
        return true
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    if (!processAlive(running.pid)) return false
    throw new EmbeddedPostgresError(
      `The PostgreSQL server (pid ${running.pid}) of ${pgdata} does not answer on port ${running.port}. Its log: ${logFile}\n${tail(logFile)}`,
    )
  }

  /** Spawns the postmaster on `wanted` (or a free port) and waits until it answers. */
  const launch = async (wanted?: number): Promise<void> => {
    const tries = wanted ? 1 : 3
    let lastError: Error | undefined
    for (let attempt = 0; attempt < tries; attempt++) {
      const at = wanted ?? (await freePort())
      rotate(logFile)
      const out = openSync(logFile, 'a', 0o600)
      const run = command(
        bin.postgres,
        [
          '-D',
          pgdata,
          '-p',
          String(at),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'max_connections=200',
          '-c',
          `autovacuum_naptime=${AUTOVACUUM_NAPTIME}`,
        ],
        how,
      )
      const spawned = spawn(run.file, run.args, {
        ...run.ids,
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, LC_ALL: 'C' },
      })
      closeSync(out)
      let failed: Error | undefined
      spawned.once('error', (error) => (failed = error))
      spawned.once('exit', () => onDeath?.())
      const gone = () => failed !== undefined || spawned.exitCode !== null || spawned.signalCode !== null
      const deadline = Date.now() + READY_TIMEOUT_MS
      while (!gone() && Date.now() < deadline) {
        const up = await answers(at, secret, pgdata).catch((error: unknown) => {
          spawned.kill('SIGINT')
          throw error
        })
        if (up) {
          child = spawned
          postmasterPid = spawned.pid ?? 0
          port = at
          spawned.unref()
          return
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      if (!gone()) spawned.kill('SIGQUIT')
      lastError = new EmbeddedPostgresError(
        `The embedded PostgreSQL did not start (data ${pgdata})${failed ? `: ${failed.message}` : ''}. Its log: ${logFile}\n${tail(logFile)}`,
      )
      // Another process may have started it meanwhile: use that one.
      if (await attach()) return
    }
    throw lastError ?? new EmbeddedPostgresError('The embedded PostgreSQL did not start.')
  }

  let started = false
  if (!(await attach())) {
    await launch()
    started = true
    log.info({ pid: postmasterPid, port, dataDir: pgdata }, 'embedded PostgreSQL started')
  } else {
    log.info({ pid: postmasterPid, port }, 'embedded PostgreSQL already running: attached')
  }
  await ensureDatabase(port, secret)

  let stopping = false
  const restarts: number[] = []
  let watch: NodeJS.Timeout | undefined
  let keeper: pg.Client | undefined

  /** A supervisor keeps one connection open: other processes see it in use, and its loss tells of a death at once. */
  const keep = async () => {
    const client = new pg.Client({ connectionString: urlOf(port, secret), application_name: 'reachloop supervisor' })
    client.on('error', () => void check())
    client.on('end', () => void check())
    await client.connect()
    keeper = client
  }
  let checking = false
  const check = async () => {
    if (checking || stopping || processAlive(postmasterPid)) return
    checking = true
    try {
      const now = Date.now()
      restarts.push(now)
      while (restarts.length > 0 && (restarts[0] ?? now) < now - 60_000) restarts.shift()
      log.error({ pid: postmasterPid, log: tail(logFile, 5) }, 'embedded PostgreSQL stopped unexpectedly; restarting it')
      if (restarts.length > 3)
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL died ${restarts.length} times in a minute; giving up. Its log: ${logFile}\n${tail(logFile)}`,
        )
      if (!(await attach())) await launch(port)
      await keep()
      log.info({ pid: postmasterPid, port }, 'embedded PostgreSQL running again')
    } catch (error) {
      stopping = true
      if (watch) clearInterval(watch)
      options.onFatal?.(error as Error)
    } finally {
      checking = false
    }
  }

  if (options.supervise) {
    onDeath = () => void check()
    await keep()
    watch = setInterval(() => void check(), 1_000)
    watch.unref()
  }

  return {
    url: urlOf(port, secret),
    pid: () => postmasterPid,
    started,
    stop: async () => {
      stopping = true
      if (watch) clearInterval(watch)
      await keeper?.end().catch(() => undefined)
      if (!processAlive(postmasterPid)) return
      if ((await otherClients(port, secret)) > 0) {
        log.info({ pid: postmasterPid }, 'embedded PostgreSQL left running: another Reachloop process is using it')
        return
      }
      await shutdown(postmasterPid, child)
    },
  }
}

/**
 * The connection string of the embedded PostgreSQL serving `dataDir`, while one runs (else null),
 * for psql, pg_dump and other tools of the operator's.
 */
export function runningServerUrl(dataDir: string): string | null {
  const pgdata = join(dataDir, 'postgres')
  const running = readPostmaster(pgdata)
  if (!running || !isPostmasterOf(running.pid, pgdata) || !existsSync(join(dataDir, 'postgres.secret'))) return null
  return urlOf(running.port, readFileSync(join(dataDir, 'postgres.secret'), 'utf8').trim())
}

/** Creates Reachloop's database on first start. */
async function ensureDatabase(port: number, secret: string): Promise<void> {
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
async function otherClients(port: number, secret: string): Promise<number> {
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
async function shutdown(pid: number, child: ChildProcess | undefined): Promise<void> {
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
