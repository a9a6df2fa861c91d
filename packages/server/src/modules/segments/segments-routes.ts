import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { clientGone } from '../../platform/http/client-gone.js'
import { defineRoute } from '../../platform/http/define-route.js'
import {
  cancelSegmentComputation,
  computeSegment,
  createSegment,
  deleteSegment,
  exportSegmentMembers,
  getSegment,
  listSegmentMembers,
  listSegments,
  previewSegment,
  profileAudiences,
  segmentSizes,
  setStaticMembers,
  updateSegment,
} from './segments-service.js'
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
import { audienceHistory, createTag, createTagGroup, deleteTag, listTagGroups, listTags, tagProfiles } from './tags-service.js'

export function segmentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listSegments, async ({ scope }) => ok({ items: await listSegments(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createSegment, ({ scope, body }) => createSegment(ctx, scope, body))
  // A preview is only for the client that asked: when it goes away, the database stops working on it.
  defineRoute(app, ctx, routes.previewSegment, ({ scope, body, request, reply }) =>
    previewSegment(ctx, scope, body.definition, clientGone(request, reply)),
  )
  defineRoute(app, ctx, routes.getSegment, ({ scope, params }) => getSegment(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.updateSegment, ({ scope, params, body }) => updateSegment(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteSegment, ({ scope, params }) => deleteSegment(ctx, scope, params.id))
  defineRoute(app, ctx, routes.computeSegment, ({ scope, params }) =>
    computeSegment(ctx, scope.workspaceId, params.id, { actor: scope.actor, requestId: scope.requestId }),
  )
  defineRoute(app, ctx, routes.cancelSegmentComputation, ({ scope, params }) => cancelSegmentComputation(ctx, scope, params.id))
  defineRoute(app, ctx, routes.listSegmentMembers, ({ scope, params, query }) => listSegmentMembers(ctx, scope, params.id, query))
  defineRoute(app, ctx, routes.exportSegmentMembers, async ({ scope, params, reply }) => {
    const csv = await exportSegmentMembers(ctx, scope, params.id)
    if (csv.ok)
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="segment-${params.id}.csv"`)
        .serializer((payload: unknown) => String(payload))
    return csv
  })
  defineRoute(app, ctx, routes.setStaticMembers, ({ scope, params, body }) => setStaticMembers(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.getSegmentSizes, ({ scope, params }) => segmentSizes(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getProfileAudiences, ({ scope, params }) => profileAudiences(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.getProfileAudienceHistory, ({ scope, params }) => audienceHistory(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.listTagGroups, async ({ scope }) => ok({ items: await listTagGroups(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createTagGroup, ({ scope, body }) => createTagGroup(ctx, scope, body))
  defineRoute(app, ctx, routes.listTags, async ({ scope }) => ok({ items: await listTags(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createTag, ({ scope, body }) => createTag(ctx, scope, body))
  defineRoute(app, ctx, routes.deleteTag, ({ scope, params }) => deleteTag(ctx, scope, params.id))
  defineRoute(app, ctx, routes.tagProfiles, ({ scope, params, body }) => tagProfiles(ctx, scope, params.id, body))
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
