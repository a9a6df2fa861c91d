import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { clientGone } from '../../platform/http/client-gone.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { cancelSegmentComputation, computeSegment, previewSegment } from './segment-computation-service.js'
import { exportSegmentMembers, listSegmentMembers, segmentSizes, setStaticMembers } from './segment-members-service.js'
import { deleteSegment, duplicateSegment } from './segment-housekeeping-service.js'
import { createSegment, getSegment, listSegments, updateSegment } from './segments-service.js'

export function segmentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listSegments, async ({ scope, query }) =>
    ok({ items: await listSegments(ctx, scope.workspaceId, query.label) }),
  )
  defineRoute(app, ctx, routes.createSegment, ({ scope, body }) => createSegment(ctx, scope, body))
  // A preview is only for the client that asked: when it goes away, the database stops working on it.
  defineRoute(app, ctx, routes.previewSegment, ({ scope, body, request, reply }) =>
    previewSegment(ctx, scope, body.definition, clientGone(request, reply)),
  )
  defineRoute(app, ctx, routes.getSegment, ({ scope, params }) => getSegment(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.updateSegment, ({ scope, params, body }) => updateSegment(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.deleteSegment, ({ scope, params }) => deleteSegment(ctx, scope, params.id))
  defineRoute(app, ctx, routes.duplicateSegment, ({ scope, params, body }) => duplicateSegment(ctx, scope, params.id, body))
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
}
