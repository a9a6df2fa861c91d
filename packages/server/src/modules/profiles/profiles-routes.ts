import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { listQuarantine, replayQuarantined } from '../ingest/quarantine-service.js'
import { eraseProfile } from './erasure-service.js'
import { getProfile, getProfileByIdentifier, getTimeline, listProfiles } from './profiles-service.js'

export function profilesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listProfiles, async ({ scope, query }) => ok(await listProfiles(ctx, scope, query)))
  defineRoute(app, ctx, routes.getProfileByIdentifier, ({ scope, params }) => getProfileByIdentifier(ctx, scope, params.type, params.value))
  defineRoute(app, ctx, routes.getProfile, ({ scope, params }) => getProfile(ctx, scope, params.id))
  defineRoute(app, ctx, routes.getTimeline, ({ scope, params, query }) => getTimeline(ctx, scope, params.id, query))
  defineRoute(app, ctx, routes.eraseProfile, ({ scope, params }) => eraseProfile(ctx, scope, params.id))
  defineRoute(app, ctx, routes.replayQuarantined, ({ scope, params, body }) =>
    replayQuarantined(ctx, scope, Number(params.id), body.payload),
  )
  defineRoute(app, ctx, routes.listQuarantine, async ({ scope, query }) => ok(await listQuarantine(ctx, scope.workspaceId, query)))
}
