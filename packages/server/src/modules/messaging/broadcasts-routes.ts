import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { changeBroadcastState, createBroadcast, getBroadcast, listBroadcasts } from './broadcasts-service.js'
import { deliveryStats, getMessage, listMessages } from './message-log-service.js'

/** Broadcasts, the message log and delivery statistics. */
export function broadcastsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listMessages, ({ scope, query }) => listMessages(ctx, scope.workspaceId, query))
  defineRoute(app, ctx, routes.getMessage, ({ scope, params }) => getMessage(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.deliveryStats, async ({ scope, query }) => ok(await deliveryStats(ctx, scope.workspaceId, query.days ?? 30)))
  defineRoute(app, ctx, routes.listBroadcasts, async ({ scope }) => ok({ items: await listBroadcasts(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.getBroadcast, ({ scope, params }) => getBroadcast(ctx, ctx.db, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.createBroadcast, ({ scope, body }) => createBroadcast(ctx, scope, body))
  defineRoute(app, ctx, routes.scheduleBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'schedule'))
  defineRoute(app, ctx, routes.pauseBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'pause'))
  defineRoute(app, ctx, routes.resumeBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'resume'))
  defineRoute(app, ctx, routes.cancelBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'cancel'))
}
