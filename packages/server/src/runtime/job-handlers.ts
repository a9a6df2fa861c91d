import type { AppContext } from '../platform/context.js'
import type { JobWorker } from '../platform/jobs/job-worker.js'
import { runImport } from '../modules/imports/import-runner.js'
import { IMPORT_QUEUE } from '../modules/imports/imports-service.js'

/**
 * Registers every module's job handlers on a worker. Modules add theirs here as they arrive
 * (journey wake-ups, sends, imports, recomputes…).
 */
export function registerJobHandlers(worker: JobWorker, ctx: AppContext): void {
  // A no-op queue lets operators check that workers are alive end to end (enqueue → done).
  worker.register('system.ping', async (job) => {
    ctx.logger.debug({ jobId: job.id }, 'ping')
  })
  worker.register(IMPORT_QUEUE, async (job) => {
    await runImport(ctx, (job.payload as { importId: string }).importId)
  })
}
