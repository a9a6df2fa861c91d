import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { ANALYTICS_MIGRATIONS } from './analytics-migrations.js'
import { overviewRoutes } from './overview-routes.js'
import { rollupConsumer } from './rollup-consumer.js'
import { rollupsOnErasure, rollupsOnMerge } from './rollup-hooks.js'

/**
 * Analytics: daily rollups of the event log kept by a consumer (events per source and name, new and
 * active customers, orders and revenue), the workspace overview of the home page over them, and
 * the rollups' adapter of the `AnalyticsStore` port (`postgresRollups`, joined into `ctx.analytics`
 * by the runtime). Later reports grow here over the same port.
 */
export const analyticsModule: ModuleManifest = {
  name: 'analytics',
  tables: ['analytics_daily', 'analytics_active_days', 'analytics_customers'],
  migrations: ANALYTICS_MIGRATIONS,
  routes: [overviewRoutes],
  consumers: () => [rollupConsumer()],
  onProfileErased: rollupsOnErasure,
  onProfilesMerged: rollupsOnMerge,
}
