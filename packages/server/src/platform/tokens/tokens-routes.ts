import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { defineRoute } from '../http/define-route.js'
import { createToken, listTokens, revokeToken } from './tokens-service.js'

export function tokensRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listTokens, async ({ scope }) => ok({ items: await listTokens(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createToken, ({ scope, body }) =>
    createToken(
      ctx,
      { workspaceId: scope.workspaceId, userId: scope.caller.user.id, role: scope.role, actor: scope.actor, requestId: scope.requestId },
      body,
    ),
  )
  defineRoute(app, ctx, routes.revokeToken, ({ scope, params }) => revokeToken(ctx, scope, params.id))
}
