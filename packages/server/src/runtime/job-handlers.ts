import type { Failure } from '@reachloop/domain'
import type { AppContext } from '../platform/context.js'
import type { EventLogRunner } from '../platform/event-log/event-log.js'
import type { JobWorker } from '../platform/jobs/job-worker.js'
import type { RecurringTask } from '../platform/jobs/recurring.js'
import { pruneMessageIds, PRUNE_MESSAGE_IDS_QUEUE } from '../modules/ingest/ingest-service.js'
import {
  reevaluateAudience,
  REEVALUATE_SEGMENT_QUEUE,
  refreshTimeSegments,
  REFRESH_SEGMENTS_QUEUE,
  segmentConsumer,
} from '../modules/segments/segment-consumer.js'
import { computeSegment, COMPUTE_SEGMENT_QUEUE } from '../modules/segments/segments-service.js'
import { computeComputedProperty, COMPUTE_PROPERTY_QUEUE } from '../modules/segments/computed-properties-service.js'
import { computeTag, COMPUTE_TAG_QUEUE } from '../modules/segments/tags-service.js'
import { runImport } from '../modules/imports/import-runner.js'
import { IMPORT_QUEUE } from '../modules/imports/imports-service.js'

/**
 * Registers every module's job handlers on a worker. Modules add theirs here as they arrive
 * (journey wake-ups, sends, imports, recomputes…).
 */
export function registerJobHandlers(worker: JobWorker, ctx: AppContext): void {
  // An operator stopped this computation (it hogged the database): running it again by itself would
  // undo that. It stays as it was until computed again.
  const cancelled = (failure: Failure, jobId: number) => {
    if (failure.code !== 'COMPUTATION_CANCELLED') return false
    ctx.logger.warn({ jobId, details: failure.details }, 'computation cancelled by an operator; not retried')
    return true
  }
  // A no-op queue lets operators check that workers are alive end to end (enqueue → done).
  worker.register('system.ping', async (job) => {
    ctx.logger.debug({ jobId: job.id }, 'ping')
  })
  worker.register(IMPORT_QUEUE, async (job) => {
    await runImport(ctx, (job.payload as { importId: string }).importId)
  })
  worker.register(COMPUTE_SEGMENT_QUEUE, async (job) => {
    const computed = await computeSegment(ctx, job.workspaceId ?? '', (job.payload as { segmentId: string }).segmentId, 'job')
    // A segment deleted meanwhile has nothing left to compute; one an operator cancelled is not retried.
    if (!computed.ok && computed.code !== 'SEGMENT_NOT_FOUND' && !cancelled(computed, job.id))
      throw new Error(`${computed.code}: ${computed.message ?? ''}`)
  })
  worker.register(REEVALUATE_SEGMENT_QUEUE, async (job) => {
    const reevaluated = await reevaluateAudience(ctx, job.payload as { kind: 'segment' | 'tag'; id: string; profileIds: string[] })
    if (!reevaluated.ok && !cancelled(reevaluated, job.id)) throw new Error(`${reevaluated.code}: ${reevaluated.message ?? ''}`)
  })
  worker.register(COMPUTE_PROPERTY_QUEUE, async (job) => {
    const computed = await computeComputedProperty(ctx, job.workspaceId ?? '', (job.payload as { propertyId: string }).propertyId, 'job')
    if (!computed.ok && computed.code !== 'COMPUTED_PROPERTY_NOT_FOUND' && !cancelled(computed, job.id))
      throw new Error(`${computed.code}: ${computed.message ?? ''}`)
  })
  worker.register(COMPUTE_TAG_QUEUE, async (job) => {
    const computed = await computeTag(ctx, (job.payload as { tagId: string }).tagId)
    if (!computed.ok && !cancelled(computed, job.id)) throw new Error(`${computed.code}: ${computed.message ?? ''}`)
  })
}

/** Maintenance every worker schedules (once per time slot across workers). */
export function recurringTasks(ctx: AppContext): RecurringTask[] {
  return [
    {
      queue: PRUNE_MESSAGE_IDS_QUEUE,
      everyMs: 3_600_000,
      run: async () => {
        const removed = await pruneMessageIds(ctx)
        if (removed > 0) ctx.logger.info({ removed }, 'forgot messageIds past their retention')
      },
    },
    {
      queue: REFRESH_SEGMENTS_QUEUE,
      everyMs: ctx.config.segmentRefreshMinutes * 60_000,
      run: async () => void (await refreshTimeSegments(ctx)),
    },
  ]
}

/**
 * Registers the event-log consumers (DESIGN §4). Modules add theirs here as they arrive: segment
 * and tag membership, journey triggers, attribution, metric rollups.
 */
export function registerLogConsumers(log: EventLogRunner, ctx: AppContext): void {
  log.register(segmentConsumer(ctx))
}
