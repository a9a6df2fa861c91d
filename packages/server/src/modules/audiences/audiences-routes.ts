import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { listComputations } from './computations-service.js'
import { audienceHistory, profileAudiences } from './profile-audiences-service.js'

/** A profile's audiences (what it is in now, its entries and exits), and the computations in progress. */
export function audiencesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.getProfileAudiences, ({ scope, params }) => profileAudiences(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getProfileAudienceHistory, ({ scope, params }) => audienceHistory(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.listComputations, async ({ scope, query }) => ok(await listComputations(ctx, scope.workspaceId, query)))
}
