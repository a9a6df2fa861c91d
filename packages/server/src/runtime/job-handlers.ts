import type { FastifyInstance, RouteOptions } from 'fastify'
import type { AppContext } from '../platform/context.js'
import type { EventLogRunner } from '../platform/event-log/event-log.js'
import { buildApp } from '../platform/http/app.js'
import type { JobWorker } from '../platform/jobs/job-worker.js'
import type { RecurringTask } from '../platform/jobs/recurring.js'
import type { ModuleManifest } from '../platform/modules/module-manifest.js'
import { MODULES } from './modules.js'

/** The HTTP server with the platform's routes and every module's. */
export function buildServerApp(
  ctx: AppContext,
  options: { routeTable?: RouteOptions[]; modules?: readonly ModuleManifest[] } = {},
): Promise<FastifyInstance> {
  const { modules = MODULES, routeTable } = options
  return buildApp(ctx, { ...(routeTable ? { routeTable } : {}), routes: modules.flatMap((m) => m.routes ?? []) })
}

/** Registers the job handlers of every module's queues on a worker. */
export function registerJobHandlers(worker: JobWorker, ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): void {
  // A no-op queue lets operators check that workers are alive end to end (enqueue → done).
  worker.register('system.ping', async (job) => {
    ctx.logger.debug({ jobId: job.id }, 'ping')
  })
  for (const { queue, handle } of modules.flatMap((m) => m.queues ?? []))
    worker.register(queue, (payload, job, signal) => handle(ctx, payload, job, signal))
}

/** The modules' recurring maintenance, which every worker schedules (once per time slot across workers). */
export function recurringTasks(ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): RecurringTask[] {
  return modules.flatMap((m) => m.recurring ?? []).map((r) => ({ queue: r.queue, everyMs: r.everyMs(ctx), run: () => r.run(ctx) }))
}

/** Registers the modules' event-log consumers (DESIGN §4). */
export function registerLogConsumers(log: EventLogRunner, ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): void {
  for (const consumer of modules.flatMap((m) => m.consumers?.(ctx) ?? [])) log.register(consumer)
}
