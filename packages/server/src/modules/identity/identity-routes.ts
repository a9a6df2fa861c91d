import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { listIdentifierTypes, setIdentifierType } from './identifier-types-service.js'

/** The identity rules of a workspace. (A merge by hand answers with the merged profile: it is a route of profiles.) */
export function identityRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listIdentifierTypes, async ({ scope }) => ok({ items: await listIdentifierTypes(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.setIdentifierType, ({ scope, params, body }) => setIdentifierType(ctx, scope, params.type, body))
}
