import { resolve } from 'node:path'

/** Which processes a server runs. */
export type ProcessRole = 'api' | 'worker'

/** Settings read from the environment; see the README's configuration table. */
export interface Config {
  port: number
  host: string
  /** Folder of the embedded database and the generated secret key. */
  dataDir: string
  /** PostgreSQL connection string; when absent the embedded PostgreSQL server in `dataDir` is used. */
  databaseUrl: string | undefined
  databasePoolSize: number
  /** 32-byte key (hex or base64) for secrets at rest; when absent one is generated into `dataDir`. */
  secretKey: string | undefined
  publicUrl: string
  logLevel: string
  /** Largest accepted request body of the admin API, bytes. */
  bodyLimit: number
  /** Largest accepted tracking API request (`/v1/*`), bytes after decompression. */
  ingestBodyLimit: number
  /** Tracking API requests per minute per write key (or per address when the key is in the body), per process. */
  ingestRateLimit: number
  /** Sign-in failures before an email is locked, and for how long. */
  loginMaxFailures: number
  loginLockMinutes: number
  sessionDays: number
  /** Job worker tuning. */
  workerConcurrency: number
  jobLeaseSeconds: number
  jobPollMs: number
  /** How often an idle event-log consumer looks for new events. */
  logPollMs: number
  /** How often segments whose membership changes with time alone are recomputed in full. */
  segmentRefreshMinutes: number
  /** Longest a segment preview may hold the database (each statement, and the preview as a whole), ms. */
  previewTimeoutMs: number
  /** Longest a full computation (segment, rule tag, computed property; asked for or a job) may hold the database, ms. */
  computeTimeoutMs: number
  /** How long messageIds are remembered for de-duplication (at least 7 days). */
  messageIdRetentionDays: number
  /** Where uploaded import files wait (shared by all processes on PostgreSQL), and the largest accepted. */
  importDir: string
  importMaxBytes: number
  /** Where the built console is served from. */
  consoleDir: string
  /** Settings that were read but have no effect any more, each with what to do; the process logs them at start. */
  warnings: string[]
}

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`)
  return n
}

/**
 * DATABASE_ENGINE chose between the embedded server and PGlite, which is gone (docs/storage.md: on
 * the Node main thread one long query froze every request). Asking for PGlite is refused, since the
 * user expects an engine this version does not have; any other value is only pointless.
 */
function databaseEngineWarnings(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return []
  if (value.trim().toLowerCase() === 'pglite') {
    throw new Error(
      'DATABASE_ENGINE=pglite: this version of Reachloop no longer supports PGlite. Remove DATABASE_ENGINE: Reachloop runs on its embedded ' +
        'PostgreSQL server (in DATA_DIR/postgres), or on the PostgreSQL server at DATABASE_URL. A DATA_DIR that holds a PGlite database ' +
        'cannot be opened by this version: start with a new DATA_DIR.',
    )
  }
  return [
    `DATABASE_ENGINE=${value} is ignored: there is one embedded engine now, the PostgreSQL server Reachloop runs itself, and DATABASE_URL selects an external one. Remove DATABASE_ENGINE.`,
  ]
}

/**
 * Reads the configuration from environment variables.
 *
 * @example
 * const config = loadConfig({ PORT: '3000', DATA_DIR: './data' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000, 'PORT')
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    databasePoolSize: int(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE'),
    secretKey: env.SECRET_KEY === '' ? undefined : env.SECRET_KEY,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimit: int(env.BODY_LIMIT_BYTES, 1024 * 1024, 'BODY_LIMIT_BYTES'),
    ingestBodyLimit: int(env.INGEST_BODY_LIMIT_BYTES, 500 * 1024, 'INGEST_BODY_LIMIT_BYTES'),
    ingestRateLimit: int(env.INGEST_RATE_LIMIT_PER_MINUTE, 60_000, 'INGEST_RATE_LIMIT_PER_MINUTE'),
    loginMaxFailures: int(env.LOGIN_MAX_FAILURES, 5, 'LOGIN_MAX_FAILURES'),
    loginLockMinutes: int(env.LOGIN_LOCK_MINUTES, 15, 'LOGIN_LOCK_MINUTES'),
    sessionDays: int(env.SESSION_DAYS, 7, 'SESSION_DAYS'),
    workerConcurrency: int(env.WORKER_CONCURRENCY, 20, 'WORKER_CONCURRENCY'),
    jobLeaseSeconds: int(env.JOB_LEASE_SECONDS, 60, 'JOB_LEASE_SECONDS'),
    jobPollMs: int(env.JOB_POLL_MS, 200, 'JOB_POLL_MS'),
    logPollMs: int(env.LOG_POLL_MS, 200, 'LOG_POLL_MS'),
    segmentRefreshMinutes: Math.max(1, int(env.SEGMENT_REFRESH_MINUTES, 15, 'SEGMENT_REFRESH_MINUTES')),
    previewTimeoutMs: Math.max(1, int(env.PREVIEW_TIMEOUT_MS, 30_000, 'PREVIEW_TIMEOUT_MS')),
    computeTimeoutMs: Math.max(1, int(env.COMPUTE_TIMEOUT_MS, 600_000, 'COMPUTE_TIMEOUT_MS')),
    messageIdRetentionDays: Math.max(7, int(env.MESSAGE_ID_RETENTION_DAYS, 30, 'MESSAGE_ID_RETENTION_DAYS')),
    importDir: resolve(env.IMPORT_DIR ?? `${env.DATA_DIR ?? './data'}/imports`),
    importMaxBytes: int(env.IMPORT_MAX_BYTES, 2 * 1024 ** 3, 'IMPORT_MAX_BYTES'),
    consoleDir: resolve(env.CONSOLE_DIR ?? new URL('../../../../console/dist/', import.meta.url).pathname),
    warnings: databaseEngineWarnings(env.DATABASE_ENGINE),
  }
}
