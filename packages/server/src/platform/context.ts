import type { Clock } from '@reachloop/domain'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Config } from './config/config.js'
import type { SecretBox } from './crypto/secret-box.js'
import type { Database } from './db/database.js'
import type { DB } from './db/schema.js'
import type { AnalyticsStore } from './analytics/analytics-store.js'
import type { Migration } from './db/migrate.js'
import type { JobQueue } from './jobs/job-queue.js'
import type { ModuleHooks } from './modules/module-manifest.js'

/** What every service needs: configuration, the database, the clock, secrets, jobs and a logger. */
export interface AppContext {
  config: Config
  database: Database
  db: Kysely<DB>
  clock: Clock
  secrets: SecretBox
  jobs: JobQueue
  logger: Logger
  /**
   * `ready`: false while starting and once shutdown has begun (`/readyz` answers 503). `lastIngestAt`:
   * when this process last took an ingestion request (`performance.now()`; 0 before the first):
   * background log consumers yield while it is recent.
   */
  state: { ready: boolean; lastIngestAt: number }
  /** Counts and rollups over the event log. */
  analytics: AnalyticsStore
  /** The modules' hooks (erasure, merges), composed by the runtime from their manifests. */
  hooks: ModuleHooks
  /** Every event name a module records in the log itself: clients may not send them. */
  internalEvents: ReadonlySet<string>
  /** The modules' migrations (the files' are found by the platform itself). */
  migrations: readonly Migration[]
  /** What modules keep per context, such as the caches of their hot lookups (see `moduleState`). */
  moduleState: Map<symbol, unknown>
}
