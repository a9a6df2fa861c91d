import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../net/free-port.js'
import {
  answers,
  AUTOVACUUM_NAPTIME,
  command,
  EmbeddedPostgresError,
  READY_TIMEOUT_MS,
  rotate,
  tail,
  type RunAs,
} from './embedded-cluster.js'
import type { PostgresBinaries } from './postgres-binaries.js'
import { isPostmasterOf, processAlive, readPostmaster, removeStalePostmaster } from './postmaster-pid.js'

/** Where the log lines of the supervisor go (a pino logger fits). */
export interface SupervisorLog {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

/**
 * The PostgreSQL server process of a cluster: found running (`attach`) or spawned (`launch`) as a
 * child in a process group of its own, with the port and pid it serves on.
 */
export class Postmaster {
  child: ChildProcess | undefined
  pid = 0
  port = 0
  /** Called when a postmaster this process spawned exits. */
  onDeath: (() => void) | undefined
  readonly #logFile: string

  constructor(
    private readonly bin: PostgresBinaries,
    private readonly dataDir: string,
    private readonly pgdata: string,
    private readonly secret: string,
    private readonly how: RunAs,
    private readonly log: SupervisorLog,
  ) {
    this.#logFile = join(dataDir, 'postgres.log')
  }

  /** Attaches to the server named in postmaster.pid, if it is alive and answers. */
  async attach(): Promise<boolean> {
    const running = readPostmaster(this.pgdata)
    if (!running) return false
    if (!isPostmasterOf(running.pid, this.pgdata)) {
      if (processAlive(running.pid))
        this.log.warn(
          { pid: running.pid },
          "postmaster.pid names a process that is not this data directory's PostgreSQL (left by a crash); removing it",
        )
      removeStalePostmaster(this.pgdata)
      return false
    }
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (Date.now() < deadline && processAlive(running.pid)) {
      if (await answers(running.port, this.secret, this.pgdata)) {
        this.pid = running.pid
        this.port = running.port
        return true
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    if (!processAlive(running.pid)) return false
    throw new EmbeddedPostgresError(
      `The PostgreSQL server (pid ${running.pid}) of ${this.pgdata} does not answer on port ${running.port}. Its log: ${this.#logFile}\n${tail(this.#logFile)}`,
    )
  }

  /** Spawns the postmaster on `wanted` (or a free port, three tries) and waits until it answers. */
  async launch(wanted?: number): Promise<void> {
    const tries = wanted ? 1 : 3
    let lastError: Error | undefined
    for (let attempt = 0; attempt < tries; attempt++) {
      const failed = await this.#spawnAndWait(wanted ?? (await freePort()))
      if (!failed) return
      lastError = failed
      // Another process may have started it meanwhile: use that one.
      if (await this.attach()) return
    }
    throw lastError ?? new EmbeddedPostgresError('The embedded PostgreSQL did not start.')
  }

  /** One start on port `at`: undefined once it answers, else why it did not. */
  async #spawnAndWait(at: number): Promise<Error | undefined> {
    rotate(this.#logFile)
    const out = openSync(this.#logFile, 'a', 0o600)
    const settings = [
      'listen_addresses=127.0.0.1',
      'unix_socket_directories=',
      'max_connections=200',
      `autovacuum_naptime=${AUTOVACUUM_NAPTIME}`,
    ]
    const run = command(this.bin.postgres, ['-D', this.pgdata, '-p', String(at), ...settings.flatMap((s) => ['-c', s])], this.how)
    const spawned = spawn(run.file, run.args, {
      ...run.ids,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, LC_ALL: 'C' },
    })
    closeSync(out)
    let failed: Error | undefined
    spawned.once('error', (error) => (failed = error))
    spawned.once('exit', () => this.onDeath?.())
    const gone = () => failed !== undefined || spawned.exitCode !== null || spawned.signalCode !== null
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (!gone() && Date.now() < deadline) {
      const up = await answers(at, this.secret, this.pgdata).catch((error: unknown) => {
        // A server we may not use: a fast shutdown, and an immediate one if that has not ended it in 5 s (a loaded machine).
        spawned.kill('SIGINT')
        const immediate = setTimeout(() => spawned.kill('SIGQUIT'), 5_000)
        immediate.unref()
        spawned.once('exit', () => clearTimeout(immediate))
        throw error
      })
      if (up) {
        this.child = spawned
        this.pid = spawned.pid ?? 0
        this.port = at
        spawned.unref()
        return undefined
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    if (!gone()) spawned.kill('SIGQUIT')
    return new EmbeddedPostgresError(
      `The embedded PostgreSQL did not start (data ${this.pgdata})${failed ? `: ${failed.message}` : ''}. Its log: ${this.#logFile}\n${tail(this.#logFile)}`,
    )
  }
}
