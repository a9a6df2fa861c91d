import { MESSAGE_EVENTS, SUBSCRIPTION_CHANGED } from '@reachloop/domain'
import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { registerConsentKind } from '../audiences/index.js'
import { broadcastTick, START_RUN_QUEUE, startRun } from './broadcasts-service.js'
import { callbackRoutes } from './callback-routes.js'
import { consentKindOfModule } from './consent-kind.js'
import { consentTraitsConsumer } from './consent-service.js'
import { deliverMessages } from './delivery-service.js'
import { SEND_QUEUE } from './message-queue.js'
import { MESSAGING_MIGRATIONS } from './messaging-migrations.js'
import { messagingRoutes } from './messaging-routes.js'
import { consentRoutes } from './consent-routes.js'
import { broadcastsRoutes } from './broadcasts-routes.js'
import { MESSAGING_TABLES } from './messaging-schema.js'
import { messagingOnErasure, messagingOnMerge } from './profile-hooks.js'
import { pruneRateWindows } from './provider-accounts-repository.js'
import { trackingRoutes } from './tracking-routes.js'

// Segments read consent (the `subscription` condition) through the engine; messaging calls audiences, not the reverse.
registerConsentKind(consentKindOfModule)

/**
 * Messaging (reach): templates per channel, provider accounts, the delivery pipeline (a message
 * row and a send job per send; consent, caps and quiet hours; retries; idempotency), broadcasts
 * to segments, consent and the blocklist, tracking (opens, clicks, receipts, unsubscribes).
 */
export const messagingModule: ModuleManifest = {
  name: 'messaging',
  tables: MESSAGING_TABLES,
  migrations: MESSAGING_MIGRATIONS,
  routes: [messagingRoutes, consentRoutes, broadcastsRoutes, trackingRoutes, callbackRoutes],
  queues: [
    handles(SEND_QUEUE, (ctx, payload, _job, signal) => deliverMessages(ctx, payload.messageIds, signal)),
    handles(START_RUN_QUEUE, (ctx, payload) => startRun(ctx, payload.runId)),
  ],
  consumers: (ctx) => [consentTraitsConsumer(ctx)],
  recurring: [
    { queue: 'messaging.broadcast-tick', everyMs: () => 5_000, run: (ctx) => broadcastTick(ctx) },
    { queue: 'messaging.prune-rate-windows', everyMs: () => 600_000, run: (ctx) => pruneRateWindows(ctx.db, ctx.clock.now()) },
  ],
  internalEvents: [...Object.values(MESSAGE_EVENTS), SUBSCRIPTION_CHANGED],
  onProfileErased: messagingOnErasure,
  onProfilesMerged: messagingOnMerge,
}
