import { routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { mergeProfilesByHand } from '../identity/index.js'
import { eraseProfile } from './erasure-service.js'
import { exportProfilesPart } from './profile-export-service.js'
import { getProfile, getProfileByIdentifier, listProfiles } from './profiles-service.js'
import { getTimeline } from './timeline-service.js'

export function profilesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listProfiles, ({ scope, query }) => listProfiles(ctx, scope, query))
  defineRoute(app, ctx, routes.exportProfiles, ({ scope, query }) => exportProfilesPart(ctx, scope, query))
  defineRoute(app, ctx, routes.getProfileByIdentifier, ({ scope, params }) => getProfileByIdentifier(ctx, scope, params.type, params.value))
  defineRoute(app, ctx, routes.getProfile, ({ scope, params }) => getProfile(ctx, scope, params.id))
  defineRoute(app, ctx, routes.getTimeline, ({ scope, params, query }) => getTimeline(ctx, scope, params.id, query))
  // Identity merges and names the survivor; the answer is the merged profile, as profiles shows it.
  defineRoute(app, ctx, routes.mergeProfile, async ({ scope, params, body }) => {
    const merged = await mergeProfilesByHand(ctx, scope, params.id, body.intoProfileId)
    return merged.ok ? getProfile(ctx, scope, merged.value.survivor) : merged
  })
  defineRoute(app, ctx, routes.eraseProfile, ({ scope, params }) => eraseProfile(ctx, scope, params.id))
}
