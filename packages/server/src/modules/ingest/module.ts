import { pruneMessageIds } from '../../platform/event-log/message-ids.js'
import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { browserSdkRoutes } from './browser-sdk-routes.js'
import { eraseFromIngest } from './ingest-erasure.js'
import { quarantineRoutes } from './quarantine-routes.js'
import { sourcesRoutes } from './sources-routes.js'
import { trackingRoutes } from './tracking-routes.js'
import { webhookRoutes } from './webhook-routes.js'

/** The recurring job that forgets messageIds older than the retention. */
export const PRUNE_MESSAGE_IDS_QUEUE = 'maintenance.prune-message-ids'

/** Sources, the tracking API, the browser SDK, webhooks, the quarantine and the suppression list. */
export const ingestModule: ModuleManifest = {
  name: 'ingest',
  tables: ['sources', 'quarantine', 'suppressions'],
  routes: [sourcesRoutes, trackingRoutes, browserSdkRoutes, webhookRoutes, quarantineRoutes],
  recurring: [
    {
      queue: PRUNE_MESSAGE_IDS_QUEUE,
      everyMs: () => 3_600_000,
      run: async (ctx) => {
        const removed = await pruneMessageIds(ctx)
        if (removed > 0) ctx.logger.info({ removed }, 'forgot messageIds past their retention')
      },
    },
  ],
  onProfileErased: eraseFromIngest,
}
