import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { segmentConsumer } from './audience-consumer.js'
import { audiencesRoutes } from './audiences-routes.js'
import { MEMBERSHIP_EVENTS } from './membership.js'
import { eraseMemberships } from './membership-repository.js'
import { settleComputation } from './running-computations.js'
import { reevaluateAudience, REEVALUATE_SEGMENT_QUEUE, refreshTimeSegments, REFRESH_SEGMENTS_QUEUE } from './time-refresh.js'

/**
 * The membership engine shared by segments and tags: who is in what (members, the history of
 * entries and exits), the log consumer that keeps it current, time refreshes and deadlines. The
 * kinds it works for (segments, tags, computed properties) register themselves from their own
 * manifests (see audience-kinds.ts), so the engine depends on none of them.
 */
export const audiencesModule: ModuleManifest = {
  name: 'audiences',
  tables: ['segment_members', 'profile_tags', 'membership_changes'],
  routes: [audiencesRoutes],
  queues: [
    handles(REEVALUATE_SEGMENT_QUEUE, async (ctx, payload, job) => settleComputation(ctx, job.id, await reevaluateAudience(ctx, payload))),
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
  onProfileErased: (tx, erasure) => eraseMemberships(tx, erasure),
}
