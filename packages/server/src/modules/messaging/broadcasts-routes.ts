import { ok, roleCan, routes, type Role } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { changeBroadcastState, createBroadcast, getBroadcast, listBroadcasts } from './broadcasts-service.js'
import { deliveryStats, getMessage, listMessages } from './message-log-service.js'
import { maskValue } from '../profiles/index.js'

/** Broadcasts, the message log and delivery statistics. */
export function broadcastsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listMessages, async ({ scope, query }) => {
    const r = await listMessages(ctx, scope.workspaceId, query)
    return r.ok ? ok({ ...r.value, items: r.value.items.map((m) => shownAddress(scope.role, m)) }) : r
  })
  defineRoute(app, ctx, routes.getMessage, async ({ scope, params }) => {
    const r = await getMessage(ctx, scope.workspaceId, params.id)
    return r.ok ? ok(shownAddress(scope.role, r.value)) : r
  })
  defineRoute(app, ctx, routes.deliveryStats, async ({ scope, query }) => ok(await deliveryStats(ctx, scope.workspaceId, query.days ?? 30)))
  defineRoute(app, ctx, routes.listBroadcasts, async ({ scope }) => ok({ items: await listBroadcasts(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.getBroadcast, ({ scope, params }) => getBroadcast(ctx, ctx.db, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.createBroadcast, ({ scope, body }) => createBroadcast(ctx, scope, body))
  defineRoute(app, ctx, routes.scheduleBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'schedule'))
  defineRoute(app, ctx, routes.pauseBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'pause'))
  defineRoute(app, ctx, routes.resumeBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'resume'))
  defineRoute(app, ctx, routes.cancelBroadcast, ({ scope, params }) => changeBroadcastState(ctx, scope, params.id, 'cancel'))
}

/**
 * A message as the caller may see it: without `pii.read`, its phone or email masked, as in every
 * list of customers — wherever it appears (the rendered content, the provider's answers), not only
 * in `address`.
 */
function shownAddress<M extends { channel: string; address: string | null }>(role: Role, message: M): M {
  if (roleCan(role, 'pii.read') || !message.address || (message.channel !== 'email' && message.channel !== 'sms')) return message
  const masked = maskValue(message.channel === 'email' ? 'email' : 'phone', message.address)
  const inJson = (text: string) => JSON.stringify(text).slice(1, -1)
  return JSON.parse(JSON.stringify(message).split(inJson(message.address)).join(inJson(masked))) as M
}
