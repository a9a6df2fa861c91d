import type { AppContext } from '../platform/context.js'
import { EventLogRunner } from '../platform/event-log/event-log.js'
import { JobWorker } from '../platform/jobs/job-worker.js'
import type { ModuleManifest } from '../platform/modules/module-manifest.js'
import { recurringTasks, registerJobHandlers, registerLogConsumers } from '../runtime/job-handlers.js'
import { MODULES } from '../runtime/modules.js'

/**
 * What a worker process does in the background, run to completion now: tests call these instead
 * of waiting for a worker's poll (with a manual clock, "due" means due on that clock).
 */
export async function runDueJobs(ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): Promise<number> {
  // A worker that is never started: its handlers, run here one job at a time.
  const worker = new JobWorker(ctx.jobs, { concurrency: 1, leaseMs: 60_000, pollMs: 1_000 })
  registerJobHandlers(worker, ctx, modules)
  for (const task of recurringTasks(ctx, modules)) worker.register(task.queue, () => task.run())
  let ran = 0
  for (;;) {
    const jobs = await ctx.jobs.claim('test-runner', worker.queues, 50, 60_000)
    if (jobs.length === 0) return ran
    for (const job of jobs) await worker.handlerOf(job.queue)?.(job, new AbortController().signal)
    await ctx.jobs.complete(jobs)
    ran += jobs.length
  }
}

/** Every event-log consumer, caught up with the log. */
export async function drainLog(ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): Promise<number> {
  const runner = new EventLogRunner(ctx.db, ctx.clock, { pollMs: 10 })
  registerLogConsumers(runner, ctx, modules)
  let handled = 0
  for (const name of runner.consumers) handled += await runner.drain(name)
  return handled
}

/** Jobs and the log, until neither has anything left (a job may append events, a consumer may queue jobs). */
export async function settle(ctx: AppContext, modules: readonly ModuleManifest[] = MODULES): Promise<void> {
  for (let round = 0; round < 20; round++) if ((await runDueJobs(ctx, modules)) + (await drainLog(ctx, modules)) === 0) return
}
