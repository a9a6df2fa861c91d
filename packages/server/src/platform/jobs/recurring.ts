import type { Clock } from '@reachloop/domain'
import type { JobQueue } from './job-queue.js'
import type { JobWorker } from './job-worker.js'

/** Maintenance that runs every `everyMs` (pruning, rollups): a durable job per time slot. */
export interface RecurringTask {
  queue: string
  everyMs: number
  run(): Promise<void>
}

/**
 * Registers recurring tasks on a worker and schedules their next run. Each run is a job keyed by
 * its time slot, so several workers schedule it once; each run first schedules the next slot. Slots missed
 * while no worker ran are not made up: the next run does the whole work.
 */
export async function startRecurring(worker: JobWorker, queue: JobQueue, clock: Clock, tasks: RecurringTask[]): Promise<void> {
  const scheduleAfter = (task: RecurringTask, at: Date) => {
    const slot = Math.floor(at.getTime() / task.everyMs) + 1
    return queue.enqueue({ queue: task.queue, runAt: new Date(slot * task.everyMs), idempotencyKey: `slot-${slot}`, maxAttempts: 3 })
  }
  for (const task of tasks) {
    worker.register(task.queue, async (job) => {
      // The next slot first, so a run that fails for good does not end the chain.
      await scheduleAfter(task, job.runAt)
      await task.run()
    })
    await scheduleAfter(task, clock.now())
  }
}
