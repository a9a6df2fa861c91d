import type { AppContext } from '../platform/context.js'
import type { JobWorker } from '../platform/jobs/job-worker.js'

/**
 * Registers every module's job handlers on a worker. Modules add theirs here as they arrive
 * (journey wake-ups, sends, imports, recomputes…).
 */
export function registerJobHandlers(worker: JobWorker, ctx: AppContext): void {
  // A no-op queue lets operators check that workers are alive end to end (enqueue → done).
  worker.register('system.ping', async (job) => {
    ctx.logger.debug({ jobId: job.id }, 'ping')
  })
}
