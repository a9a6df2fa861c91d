import { routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { workspaceOverview } from './overview-service.js'

export function overviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.getOverview, ({ scope, query }) => workspaceOverview(ctx, scope, query.days ?? 7))
}
