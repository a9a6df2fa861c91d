import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { browserSdkRoutes } from './browser-sdk-routes.js'
import { pruneMessageIds, PRUNE_MESSAGE_IDS_QUEUE } from './ingest-service.js'
import { sourcesRoutes } from './sources-routes.js'
import { trackingRoutes } from './tracking-routes.js'
import { webhookRoutes } from './webhooks.js'

/** Sources, the tracking API, the browser SDK, webhooks and the quarantine. */
export const ingestModule: ModuleManifest = {
  name: 'ingest',
  routes: [sourcesRoutes, trackingRoutes, browserSdkRoutes, webhookRoutes],
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
}
