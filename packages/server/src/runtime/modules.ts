import { analyticsModule } from '../modules/analytics/module.js'
import { postgresRollups } from '../modules/analytics/index.js'
import { catalogueModule } from '../modules/catalogue/module.js'
import { demoModule } from '../modules/demo/module.js'
import { identityModule } from '../modules/identity/module.js'
import { importsModule } from '../modules/imports/module.js'
import { ingestModule } from '../modules/ingest/module.js'
import { profilesModule } from '../modules/profiles/module.js'
import { audiencesModule } from '../modules/audiences/module.js'
import { computedPropertiesModule } from '../modules/computed-properties/module.js'
import { segmentsModule } from '../modules/segments/module.js'
import { tagsModule } from '../modules/tags/module.js'
import { messagingModule } from '../modules/messaging/module.js'
import type { Kysely } from 'kysely'
import { postgresEventCounts } from '../platform/analytics/analytics-store.js'
import type { AppContext } from '../platform/context.js'
import type { Migration } from '../platform/db/migrate.js'
import type { DB } from '../platform/db/schema.js'
import { composeHooks, type ModuleManifest } from '../platform/modules/module-manifest.js'

/**
 * Every module, in dependency order (a module comes after those it calls). Adding a module is one
 * line here; everything else it brings is in its own folder's `module.ts`.
 */
export const MODULES: readonly ModuleManifest[] = [
  identityModule,
  catalogueModule,
  ingestModule,
  profilesModule,
  importsModule,
  analyticsModule,
  audiencesModule,
  computedPropertiesModule,
  tagsModule,
  segmentsModule,
  messagingModule,
  demoModule,
]

/** The parts of a context that come from the modules and the adapters chosen: the analytics store, the hooks, module state. */
export function contextParts(
  db: Kysely<DB>,
  modules: readonly ModuleManifest[] = MODULES,
): Pick<AppContext, 'analytics' | 'hooks' | 'internalEvents' | 'migrations' | 'moduleState'> {
  return {
    // The log's counts from the platform, the daily rollups from the analytics module that keeps them.
    analytics: { ...postgresEventCounts(db), ...postgresRollups(db) },
    hooks: composeHooks(modules),
    internalEvents: new Set(modules.flatMap((m) => m.internalEvents ?? [])),
    migrations: moduleMigrations(modules),
    moduleState: new Map(),
  }
}

/** The migrations the modules ship. */
export function moduleMigrations(modules: readonly ModuleManifest[] = MODULES): Migration[] {
  return modules.flatMap((m) => m.migrations ?? [])
}
