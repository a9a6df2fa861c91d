import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import {
  chownTree,
  EmbeddedPostgresError,
  ensureDatabase,
  initCluster,
  otherClients,
  password,
  runAs,
  shutdown,
  tail,
  urlOf,
} from './embedded-cluster.js'
import { refusePGliteDataDir } from './pglite-data-dir.js'
import { postgresBinaries } from './postgres-binaries.js'
import { Postmaster, type SupervisorLog } from './postmaster.js'
import { isPostmasterOf, processAlive, readPostmaster } from './postmaster-pid.js'

export { EmbeddedPostgresError } from './embedded-cluster.js'
export type { SupervisorLog } from './postmaster.js'

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

const silent: SupervisorLog = { info: () => undefined, warn: () => undefined, error: () => undefined }

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
  // Both refusals come before anything is written: an old PGlite directory stays as it was.
  refusePGliteDataDir(dataDir)
  const bin = await postgresBinaries()
  mkdirSync(dataDir, { recursive: true })
  const how = runAs()
  const secret = password(dataDir)
  if (!existsSync(join(pgdata, 'PG_VERSION'))) initCluster(bin, dataDir, pgdata, secret, how)
  if (how.kind === 'user') chownTree(pgdata, how.uid, how.gid)

  const postmaster = new Postmaster(bin, dataDir, pgdata, secret, how, log)
  let started = false
  if (!(await postmaster.attach())) {
    await postmaster.launch()
    started = true
    log.info({ pid: postmaster.pid, port: postmaster.port, dataDir: pgdata }, 'embedded PostgreSQL started')
  } else {
    log.info({ pid: postmaster.pid, port: postmaster.port }, 'embedded PostgreSQL already running: attached')
  }
  await ensureDatabase(postmaster.port, secret)
  const supervisor = options.supervise
    ? await supervise(postmaster, secret, join(dataDir, 'postgres.log'), log, options.onFatal)
    : undefined

  return {
    url: urlOf(postmaster.port, secret),
    pid: () => postmaster.pid,
    started,
    stop: async () => {
      await supervisor?.stop()
      if (!processAlive(postmaster.pid)) return
      if ((await otherClients(postmaster.port, secret)) > 0) {
        log.info({ pid: postmaster.pid }, 'embedded PostgreSQL left running: another Reachloop process is using it')
        return
      }
      await shutdown(postmaster.pid, postmaster.child)
    },
  }
}

/**
 * Keeps the postmaster alive: one connection held open (other processes see the server in use, and
 * its loss tells of a death at once) and a check every second. A dead server is restarted on the
 * same port; after 4 deaths in a minute `onFatal` is told and supervision ends.
 */
async function supervise(
  postmaster: Postmaster,
  secret: string,
  logFile: string,
  log: SupervisorLog,
  onFatal: ((error: Error) => void) | undefined,
): Promise<{ stop(): Promise<void> }> {
  let stopping = false
  let checking = false
  let keeper: pg.Client | undefined
  const restarts: number[] = []
  const keep = async () => {
    const client = new pg.Client({ connectionString: urlOf(postmaster.port, secret), application_name: 'reachloop supervisor' })
    client.on('error', () => void check())
    client.on('end', () => void check())
    await client.connect()
    keeper = client
  }
  const check = async () => {
    if (checking || stopping || processAlive(postmaster.pid)) return
    checking = true
    try {
      const now = Date.now()
      restarts.push(now)
      while (restarts.length > 0 && (restarts[0] ?? now) < now - 60_000) restarts.shift()
      log.error({ pid: postmaster.pid, log: tail(logFile, 5) }, 'embedded PostgreSQL stopped unexpectedly; restarting it')
      if (restarts.length > 3)
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL died ${restarts.length} times in a minute; giving up. Its log: ${logFile}\n${tail(logFile)}`,
        )
      if (!(await postmaster.attach())) await postmaster.launch(postmaster.port)
      await keep()
      log.info({ pid: postmaster.pid, port: postmaster.port }, 'embedded PostgreSQL running again')
    } catch (error) {
      stopping = true
      clearInterval(watch)
      onFatal?.(error as Error)
    } finally {
      checking = false
    }
  }
  postmaster.onDeath = () => void check()
  await keep()
  const watch = setInterval(() => void check(), 1_000)
  watch.unref()
  return {
    stop: async () => {
      stopping = true
      clearInterval(watch)
      await keeper?.end().catch(() => undefined)
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
