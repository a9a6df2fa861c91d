import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import {
  cancelComputedPropertyComputation,
  computedDistribution,
  computeComputedProperty,
  createComputedProperty,
  deleteComputedProperty,
  getComputedProperty,
  listComputedProperties,
  profileComputedValues,
  updateComputedProperty,
} from './computed-properties-service.js'

export function computedPropertiesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listComputedProperties, async ({ scope }) =>
    ok({ items: await listComputedProperties(ctx, scope.workspaceId) }),
  )
  defineRoute(app, ctx, routes.createComputedProperty, ({ scope, body }) => createComputedProperty(ctx, scope, body))
  defineRoute(app, ctx, routes.getComputedProperty, ({ scope, params }) => getComputedProperty(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.updateComputedProperty, ({ scope, params, body }) => updateComputedProperty(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteComputedProperty, ({ scope, params }) => deleteComputedProperty(ctx, scope, params.id))
  defineRoute(app, ctx, routes.computeComputedProperty, ({ scope, params }) =>
    computeComputedProperty(ctx, scope.workspaceId, params.id, { actor: scope.actor, requestId: scope.requestId }),
  )
  defineRoute(app, ctx, routes.cancelComputedPropertyComputation, ({ scope, params }) =>
    cancelComputedPropertyComputation(ctx, scope, params.id),
  )
  defineRoute(app, ctx, routes.getComputedDistribution, ({ scope, params }) => computedDistribution(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getProfileComputedValues, ({ scope, params }) => profileComputedValues(ctx, scope.workspaceId, params.id))
}
