import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { getProfile } from '../profiles/profiles-service.js'
import { listIdentifierTypes, mergeProfilesByHand, setIdentifierType } from './identity-service.js'

export function identityRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listIdentifierTypes, async ({ scope }) => ok({ items: await listIdentifierTypes(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.setIdentifierType, ({ scope, params, body }) => setIdentifierType(ctx, scope, params.type, body))
  defineRoute(app, ctx, routes.mergeProfile, async ({ scope, params, body }) => {
    const merged = await mergeProfilesByHand(ctx, scope, params.id, body.intoProfileId)
    return merged.ok ? getProfile(ctx, scope, merged.value.survivor) : merged
  })
}
