import type { Failure } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { computeComputedProperty, COMPUTE_PROPERTY_QUEUE } from './computed-properties-service.js'
import { MEMBERSHIP_EVENTS } from './membership.js'
import {
  reevaluateAudience,
  REEVALUATE_SEGMENT_QUEUE,
  refreshTimeSegments,
  REFRESH_SEGMENTS_QUEUE,
  segmentConsumer,
} from './segment-consumer.js'
import { segmentsRoutes } from './segments-routes.js'
import { computeSegment, COMPUTE_SEGMENT_QUEUE } from './segments-service.js'
import { computeTag, COMPUTE_TAG_QUEUE } from './tags-service.js'

/**
 * A computation's failure, thrown so the job is retried — unless what it computed is gone, or an
 * operator cancelled it (it hogged the database: running it again by itself would undo that).
 */
function settle(ctx: AppContext, jobId: number, result: { ok: true } | Failure, gone?: string): void {
  if (result.ok || result.code === gone) return
  if (result.code === 'COMPUTATION_CANCELLED') {
    ctx.logger.warn({ jobId, details: result.details }, 'computation cancelled by an operator; not retried')
    return
  }
  throw new Error(`${result.code}: ${result.message ?? ''}`)
}

/** Segments, tags and computed properties, and the membership engine that keeps them current. */
export const segmentsModule: ModuleManifest = {
  name: 'segments',
  routes: [segmentsRoutes],
  queues: [
    handles(COMPUTE_SEGMENT_QUEUE, async (ctx, payload, job) =>
      settle(ctx, job.id, await computeSegment(ctx, job.workspaceId ?? '', payload.segmentId, 'job'), 'SEGMENT_NOT_FOUND'),
    ),
    handles(REEVALUATE_SEGMENT_QUEUE, async (ctx, payload, job) => settle(ctx, job.id, await reevaluateAudience(ctx, payload))),
    handles(COMPUTE_PROPERTY_QUEUE, async (ctx, payload, job) =>
      settle(
        ctx,
        job.id,
        await computeComputedProperty(ctx, job.workspaceId ?? '', payload.propertyId, 'job'),
        'COMPUTED_PROPERTY_NOT_FOUND',
      ),
    ),
    handles(COMPUTE_TAG_QUEUE, async (ctx, payload, job) => settle(ctx, job.id, await computeTag(ctx, payload.tagId))),
  ],
  consumers: (ctx) => [segmentConsumer(ctx)],
  recurring: [
    {
      queue: REFRESH_SEGMENTS_QUEUE,
      everyMs: (ctx) => ctx.config.segmentRefreshMinutes * 60_000,
      run: async (ctx) => void (await refreshTimeSegments(ctx)),
    },
  ],
  internalEvents: MEMBERSHIP_EVENTS,
}
