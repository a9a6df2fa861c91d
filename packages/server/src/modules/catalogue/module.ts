import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { catalogueConsumer } from './catalogue-consumer.js'
import { CATALOGUE_MIGRATIONS } from './catalogue-migrations.js'
import { catalogueRoutes } from './catalogue-routes.js'
import { forgetValues } from './catalogue-stats-repository.js'

/**
 * The event catalogue and tracking plans: the workspace's events, their properties and the profile
 * traits as actually received (kept by a log consumer), what operators say of them (descriptions,
 * money and date marks, hidden), and the plans ingestion enforces (through this module's index.ts).
 * It keeps nothing per customer; an erasure drops top values equal to the customer's identifiers.
 */
export const catalogueModule: ModuleManifest = {
  name: 'catalogue',
  tables: ['catalogue_events', 'catalogue_properties'],
  migrations: CATALOGUE_MIGRATIONS,
  routes: [catalogueRoutes],
  consumers: () => [catalogueConsumer()],
  onProfileErased: (tx, erasure) =>
    forgetValues(
      tx,
      erasure.workspaceId,
      erasure.identifiers.map((i) => i.value),
    ),
}
