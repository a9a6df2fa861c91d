import type { Clock } from '@reachloop/domain'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Config } from './config/config.js'
import type { SecretBox } from './crypto/secret-box.js'
import type { Database, Engine } from './db/database.js'
import type { DB } from './db/schema.js'
import type { AnalyticsStore } from './analytics/analytics-store.js'
import type { Migration } from './db/migrate.js'
import type { JobQueue } from './jobs/job-queue.js'
import type { ModuleHooks } from './modules/module-manifest.js'
import { TtlCache } from './ttl-cache.js'
import type { IdentityPolicy } from '@reachloop/domain'

/** What every service needs: configuration, the database, the clock, secrets, jobs and a logger. */
export interface AppContext {
  config: Config
  database: Database
  db: Kysely<DB>
  engine: Engine
  clock: Clock
  secrets: SecretBox
  jobs: JobQueue
  logger: Logger
  /** False while starting and once shutdown has begun: `/readyz` answers 503. */
  state: { ready: boolean }
  /** Hot lookups of the ingestion path, kept a few seconds. */
  caches: IngestCaches
  /** Counts and rollups over the event log. */
  analytics: AnalyticsStore
  /** The modules' hooks (erasure, merges), composed by the runtime from their manifests. */
  hooks: ModuleHooks
  /** The modules' migrations (the files' are found by the platform itself). */
  migrations: readonly Migration[]
  /** What modules keep per context (see `moduleState`). */
  moduleState: Map<symbol, unknown>
}

/** Write key hash → source; workspace → identity rules; workspace → whether it has suppressed identifiers. */
export interface IngestCaches {
  sources: TtlCache<string, { id: string; workspaceId: string; allowedOrigins: string[] | null } | undefined>
  policies: TtlCache<string, IdentityPolicy>
  suppressions: TtlCache<string, boolean>
}

/** Fresh caches for a context. */
export function createIngestCaches(clock: Clock): IngestCaches {
  return { sources: new TtlCache(5_000, clock), policies: new TtlCache(5_000, clock), suppressions: new TtlCache(5_000, clock) }
}
