import { routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { audienceHistory, profileAudiences } from './profile-audiences-service.js'

/** A profile's audiences: what it is in now, and its entries and exits. */
export function audiencesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.getProfileAudiences, ({ scope, params }) => profileAudiences(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getProfileAudienceHistory, ({ scope, params }) => audienceHistory(ctx, scope.workspaceId, params.id))
}
