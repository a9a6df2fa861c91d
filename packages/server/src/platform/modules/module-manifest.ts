import type { Static, TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { AppContext } from '../context.js'
import type { Migration } from '../db/migrate.js'
import type { DB } from '../db/schema.js'
import type { LogConsumer } from '../event-log/event-log.js'
import type { ClaimedJob } from '../jobs/job-queue.js'
import type { Queue } from '../jobs/queue.js'

/** A module's routes, registered on the app with the shared context. */
export type RoutesPlugin = (app: FastifyInstance, ctx: AppContext) => void

/** A queue a module owns and the handler that runs its jobs (the payload already checked against the queue's schema). */
export interface QueueHandler<S extends TSchema = TSchema> {
  queue: Queue<S>
  handle(ctx: AppContext, payload: Static<S>, job: ClaimedJob, signal: AbortSignal): Promise<void>
}

/** Binds a handler to its queue, keeping the payload's type. */
export function handles<S extends TSchema>(queue: Queue<S>, handle: QueueHandler<S>['handle']): QueueHandler {
  return { queue, handle } as unknown as QueueHandler
}

/** Maintenance a module runs every `everyMs` (once per time slot across workers). */
export interface RecurringJob {
  queue: string
  everyMs(ctx: AppContext): number
  run(ctx: AppContext): Promise<void>
}

/** A customer being erased: the profile and every profile merged into it, with the identifiers they held. */
export interface ProfileErasure {
  ctx: AppContext
  workspaceId: string
  profileIds: readonly string[]
  identifiers: ReadonlyArray<{ type: string; value: string }>
  /** Runs once the erasure has committed (e.g. to forget a cache that must not outlive it). */
  afterCommit(run: () => void): void
}

/** Profiles merged into a survivor, in the transaction of the merge. */
export interface ProfilesMerge {
  ctx: AppContext
  workspaceId: string
  survivorId: string
  mergedIds: readonly string[]
  by: 'ingestion' | 'hand'
}

/**
 * What a module brings to the running system (DESIGN §6). `runtime/` composes the manifests; the
 * platform never imports a module. A module's tables are written only by its own code.
 */
export interface ModuleManifest {
  name: string
  /** The tables the module owns: only its code writes them (every table has one owner: a module or the platform). */
  tables?: readonly string[]
  /** The SQL that makes and changes its tables, applied in name order among everyone's (new modules ship theirs here). */
  migrations?: readonly Migration[]
  routes?: readonly RoutesPlugin[]
  queues?: readonly QueueHandler[]
  consumers?(ctx: AppContext): LogConsumer[]
  recurring?: readonly RecurringJob[]
  /** Names of the events the module records in the log itself (refused from clients, documented in docs/events.md). */
  internalEvents?: readonly string[]
  /** Deletes what the module keeps about erased profiles. Hooks run in the reverse order of the module list (dependents first). */
  onProfileErased?(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void>
  /** Moves what the module keeps about merged profiles to the survivor. Hooks run in module-list order. */
  onProfilesMerged?(tx: Transaction<DB>, merge: ProfilesMerge): Promise<void>
}

/** The hooks of every module, as the context carries them for the modules that raise them. */
export interface ModuleHooks {
  profileErased(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void>
  profilesMerged(tx: Transaction<DB>, merge: ProfilesMerge): Promise<void>
}

/** Hooks of the given manifests, run in their order (erasure in reverse). */
export function composeHooks(manifests: readonly ModuleManifest[]): ModuleHooks {
  return {
    profileErased: async (tx, erasure) => {
      for (const m of [...manifests].reverse()) await m.onProfileErased?.(tx, erasure)
    },
    profilesMerged: async (tx, merge) => {
      for (const m of manifests) await m.onProfilesMerged?.(tx, merge)
    },
  }
}

/** The tables the platform owns (accounts, the job table, the event log and its consumers, migrations, time zones). */
export const PLATFORM_TABLES: readonly string[] = [
  'workspaces',
  'users',
  'memberships',
  'sessions',
  'api_tokens',
  'login_attempts',
  'audit_log',
  'jobs',
  'schema_migrations',
  'events',
  'event_message_ids',
  'log_consumers',
  'time_zones',
]
