import { systemClock, type Clock } from '@reachloop/domain'
import { pino, type Logger } from 'pino'
import type { Config } from '../platform/config/config.js'
import type { AppContext } from '../platform/context.js'
import { SecretBox, loadSecretKey } from '../platform/crypto/secret-box.js'
import { openDatabase } from '../platform/db/database.js'
import { migrate } from '../platform/db/migrate.js'
import { JobQueue } from '../platform/jobs/job-queue.js'
import { contextParts, moduleMigrations } from './modules.js'

export interface ContextOptions {
  clock?: Clock
  logger?: Logger
  /** What the process is (`server`, `worker`, `cli`): a server or a worker supervises the embedded PostgreSQL; a command attaches to it, or starts it for its run. */
  role?: string
  /** The embedded PostgreSQL died and could not be restarted (default: log and exit). */
  onFatal?: (error: Error) => void
  /** Apply pending migrations (default true). */
  migrate?: boolean
}

/** A context and how to close it (its database). */
export interface OpenContext {
  ctx: AppContext
  close(): Promise<void>
}

/** Creates the JSON logger at `level`; requests log their id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  })
}

/**
 * Opens everything a process needs. The embedded PostgreSQL server is shared by every process on
 * the data directory, as an external one is; it refuses a data directory that holds an old PGlite
 * database, and a machine where its binaries cannot run, before anything is written.
 */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<OpenContext> {
  const logger = options.logger ?? createLogger(config.logLevel)
  for (const warning of config.warnings) logger.warn(warning)
  const onFatal =
    options.onFatal ??
    ((error: Error) => {
      logger.fatal({ err: error }, 'the embedded PostgreSQL is gone; stopping')
      process.exit(70)
    })
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    supervise: options.role === 'server' || options.role === 'worker',
    poolSize: config.databasePoolSize,
    log: logger,
    onIdleClientError: (error) => logger.warn({ err: error }, 'an idle database connection was closed; the pool replaces it'),
    onFatal,
  })
  try {
    if (options.migrate !== false) await migrate(database.db, moduleMigrations())
    const clock = options.clock ?? systemClock
    const ctx: AppContext = {
      config,
      database,
      db: database.db,
      clock,
      secrets: new SecretBox(loadSecretKey(config.secretKey, config.dataDir)),
      jobs: new JobQueue(database.db, clock),
      logger,
      state: { ready: false, lastIngestAt: 0 },
      ...contextParts(database.db),
    }
    return { ctx, close: () => database.close() }
  } catch (error) {
    await database.close().catch(() => undefined)
    throw error
  }
}
