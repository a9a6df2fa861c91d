import { systemClock, type Clock } from '@reachloop/domain'
import { pino, type Logger } from 'pino'
import type { Config } from '../platform/config/config.js'
import { createIngestCaches, type AppContext } from '../platform/context.js'
import { SecretBox, loadSecretKey } from '../platform/crypto/secret-box.js'
import { lockDataDir } from '../platform/db/data-dir-lock.js'
import { chooseEmbeddedEngine, openDatabase } from '../platform/db/database.js'
import { migrate } from '../platform/db/migrate.js'
import { JobQueue } from '../platform/jobs/job-queue.js'

export interface ContextOptions {
  clock?: Clock
  logger?: Logger
  /** Who holds the data directory, for the lock file (PGlite only); a `server` supervises the embedded PostgreSQL. */
  role?: string
  /** The embedded PostgreSQL died and could not be restarted (default: log and exit). */
  onFatal?: (error: Error) => void
  /** Apply pending migrations (default true). */
  migrate?: boolean
}

/** A context and how to close it: the database, then the data-directory lock. */
export interface OpenContext {
  ctx: AppContext
  close(): Promise<void>
}

/** Creates the JSON logger at `level`; requests log their id. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' } })
}

/**
 * Opens everything a process needs. On PGlite it first claims the data directory, so a second
 * process fails with a clear message instead of opening the files twice; the embedded PostgreSQL
 * server is shared by every process on the data directory, as an external one is.
 */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<OpenContext> {
  const embeddedEngine = config.databaseUrl ? undefined : chooseEmbeddedEngine(config.dataDir, config.databaseEngine)
  const release = embeddedEngine === 'pglite' ? lockDataDir(config.dataDir, options.role ?? 'process', options.role === 'server' ? config.publicUrl : undefined) : () => undefined
  const logger = options.logger ?? createLogger(config.logLevel)
  const onFatal =
    options.onFatal ??
    ((error: Error) => {
      logger.fatal({ err: error }, 'the embedded PostgreSQL is gone; stopping')
      process.exit(70)
    })
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embeddedEngine,
      supervise: options.role === 'server' || options.role === 'worker',
      poolSize: config.databasePoolSize,
      log: logger,
      onIdleClientError: (error) => logger.warn({ err: error }, 'an idle database connection was closed; the pool replaces it'),
      onFatal,
    })
    if (options.migrate !== false) await migrate(database.db)
    const clock = options.clock ?? systemClock
    const ctx: AppContext = {
      config,
      database,
      db: database.db,
      engine: database.engine,
      clock,
      secrets: new SecretBox(loadSecretKey(config.secretKey, config.dataDir)),
      jobs: new JobQueue(database.db, clock),
      logger,
      state: { ready: false },
      caches: createIngestCaches(clock),
    }
    return {
      ctx,
      close: async () => {
        await database.close()
        release()
      },
    }
  } catch (error) {
    release()
    throw error
  }
}
