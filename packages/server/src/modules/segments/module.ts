import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { registerAudienceKind, settleComputation } from '../audiences/index.js'
import { computeSegment } from './segment-computation-service.js'
import { segmentKind } from './segment-kind.js'
import { SEGMENTS_MIGRATIONS } from './segments-migrations.js'
import { segmentsRoutes } from './segments-routes.js'
import { COMPUTE_SEGMENT_QUEUE } from './segments-service.js'

registerAudienceKind(segmentKind)

/** Segments: dynamic ones computed by the membership engine from their definitions, static ones filled by hand. */
export const segmentsModule: ModuleManifest = {
  name: 'segments',
  tables: ['segments', 'segment_sizes'],
  migrations: SEGMENTS_MIGRATIONS,
  routes: [segmentsRoutes],
  queues: [
    handles(COMPUTE_SEGMENT_QUEUE, async (ctx, payload, job) =>
      settleComputation(ctx, job.id, await computeSegment(ctx, job.workspaceId ?? '', payload.segmentId, 'job'), 'SEGMENT_NOT_FOUND'),
    ),
  ],
}
