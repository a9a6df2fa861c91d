import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Logger } from 'pino'
import type { Static, TSchema } from '@sinclair/typebox'
import type { ClaimedJob, JobQueue } from './job-queue.js'
import { payloadProblem, type Queue } from './queue.js'

/** Runs one job. Throwing fails the attempt (retried with backoff, dead after the last). */
export type JobHandler = (job: ClaimedJob, signal: AbortSignal) => Promise<void>

/** A claimed job's payload does not fit its queue's schema. */
class UnfitPayload extends Error {}

export interface JobWorkerOptions {
  concurrency: number
  leaseMs: number
  pollMs: number
  /** How long finished jobs are kept (their idempotency keys hold that long). */
  keepDoneMs?: number
  logger?: Logger
  /** Called after each job settles, with its claim-to-finish time: for metrics and benchmarks. */
  onSettled?: (job: ClaimedJob, outcome: 'done' | 'retry' | 'dead' | 'stale', elapsedMs: number) => void
}

/**
 * Claims due jobs of its registered queues and runs them, up to `concurrency` at a time. Several
 * workers (in one or many processes) share the table safely. Completions are written in batches;
 * leases of long jobs are extended; jobs of vanished workers are recovered after their lease.
 *
 * @example
 * const worker = new JobWorker(queue, { concurrency: 20, leaseMs: 60_000, pollMs: 200 })
 * worker.register('email.send', async (job) => send(job.payload))
 * worker.start()
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  readonly #handlers = new Map<string, JobHandler>()
  readonly #running = new Map<number, ClaimedJob>()
  readonly #startedAt = new Map<number, number>()
  #toComplete: ClaimedJob[] = []
  #stopping = false
  #loop: Promise<void> | undefined
  #wake: (() => void) | undefined
  #abort = new AbortController()
  #timers: NodeJS.Timeout[] = []
  #flushing: Promise<void> | undefined

  constructor(
    private readonly queue: JobQueue,
    private readonly options: JobWorkerOptions,
  ) {}

  /**
   * Runs the jobs of a module's queue whose payload fits its schema; one that does not goes dead at
   * once, unhandled. The platform's own queues (recurring slots, ping) and tests register by name.
   */
  register<S extends TSchema>(queue: Queue<S>, handler: (payload: Static<S>, job: ClaimedJob, signal: AbortSignal) => Promise<void>): this
  register(queueName: string, handler: JobHandler): this
  register(queue: Queue | string, handler: JobHandler | ((payload: never, job: ClaimedJob, signal: AbortSignal) => Promise<void>)): this {
    if (typeof queue === 'string') {
      this.#handlers.set(queue, handler as unknown as JobHandler)
      return this
    }
    const run = handler as (payload: unknown, job: ClaimedJob, signal: AbortSignal) => Promise<void>
    this.#handlers.set(queue.name, async (job, signal) => {
      const problem = payloadProblem(queue, job.payload)
      if (problem) throw new UnfitPayload(problem)
      await run(job.payload, job, signal)
    })
    return this
  }

  /** The handler of a queue, as the worker runs it (its payload checked): for tests that run due jobs by hand. */
  handlerOf(queueName: string): JobHandler | undefined {
    return this.#handlers.get(queueName)
  }

  get queues(): string[] {
    return [...this.#handlers.keys()]
  }

  /** Wakes the claim loop now (after an enqueue in this process) instead of at the next poll. */
  notify(): void {
    this.#wake?.()
  }

  start(): void {
    if (this.#loop) return
    const { leaseMs } = this.options
    this.#timers.push(
      setInterval(
        () => void this.#guard('extend leases', () => this.queue.extendLeases(this.id, [...this.#running.values()], leaseMs)),
        Math.max(1000, leaseMs / 3),
      ),
    )
    this.#timers.push(
      setInterval(
        () => void this.#guard('recover expired jobs', () => this.queue.recoverExpired()),
        Math.max(1000, Math.min(leaseMs / 2, 10_000)),
      ),
    )
    this.#timers.push(
      setInterval(
        () => void this.#guard('prune done jobs', () => this.queue.pruneDone(this.options.keepDoneMs ?? 7 * 86_400_000)),
        600_000,
      ),
    )
    for (const t of this.#timers) t.unref()
    this.#loop = this.#run()
  }

  /** Stops claiming, waits up to `graceMs` for running jobs to finish, then writes their results. */
  async stop(graceMs = 30_000): Promise<void> {
    this.#stopping = true
    this.#wake?.()
    for (const t of this.#timers) clearInterval(t)
    await this.#loop
    const deadline = Date.now() + graceMs
    while (this.#running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    // Jobs still running past the grace period are told to stop; their lease lets another worker retry them.
    this.#abort.abort()
    await this.#flush()
  }

  async #guard(what: string, task: () => Promise<unknown>): Promise<void> {
    try {
      await task()
    } catch (error) {
      this.options.logger?.warn({ err: error }, `job worker could not ${what}`)
    }
  }

  async #run(): Promise<void> {
    const { concurrency, leaseMs, pollMs } = this.options
    while (!this.#stopping) {
      const free = concurrency - this.#running.size
      let claimed: ClaimedJob[] = []
      if (free > 0) {
        try {
          claimed = await this.queue.claim(this.id, this.queues, free, leaseMs)
        } catch (error) {
          this.options.logger?.warn({ err: error }, 'job worker could not claim jobs')
        }
        for (const job of claimed) this.#execute(job)
      }
      // A full batch means more may be waiting: claim again at once; otherwise wait for a poll, a wake-up or a free slot.
      if (claimed.length > 0 && claimed.length === free) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, claimed.length > 0 ? 1 : pollMs)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = undefined
    }
  }

  #execute(job: ClaimedJob): void {
    this.#running.set(job.id, job)
    const handler = this.#handlers.get(job.queue)
    const started = performance.now()
    this.#startedAt.set(job.id, started)
    const run = handler ? handler(job, this.#abort.signal) : Promise.reject(new Error(`No handler for queue ${job.queue}`))
    run.then(
      () => {
        this.#toComplete.push(job)
        void this.#flush()
      },
      async (error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
        let outcome: 'retry' | 'dead' | 'stale' = 'retry'
        try {
          // A payload that does not fit will not fit next time either.
          outcome = await this.queue.fail(error instanceof UnfitPayload ? { ...job, maxAttempts: job.attempts } : job, message)
        } catch (failError) {
          this.options.logger?.warn(
            { err: failError, jobId: job.id },
            'could not record a failed job; its lease will expire and it will be retried',
          )
        }
        this.options.logger?.warn({ jobId: job.id, queue: job.queue, attempt: job.attempts, outcome, error: message }, 'job failed')
        this.#running.delete(job.id)
        this.#startedAt.delete(job.id)
        this.options.onSettled?.(job, outcome, performance.now() - started)
        this.#wake?.()
      },
    )
  }

  /** Writes finished jobs in one statement; a flush already in progress picks up what arrived meanwhile. */
  #flush(): Promise<void> {
    if (this.#flushing) return this.#flushing
    this.#flushing = (async () => {
      while (this.#toComplete.length > 0) {
        const batch = this.#toComplete
        this.#toComplete = []
        try {
          await this.queue.complete(batch)
        } catch (error) {
          // Unrecorded completions run again after their lease: at-least-once, never lost.
          this.options.logger?.warn({ err: error, jobs: batch.length }, 'could not record finished jobs')
        }
        const now = performance.now()
        for (const job of batch) {
          this.#running.delete(job.id)
          this.options.onSettled?.(job, 'done', now - (this.#startedAt.get(job.id) ?? now))
          this.#startedAt.delete(job.id)
        }
        this.#wake?.()
      }
    })().finally(() => {
      this.#flushing = undefined
    })
    return this.#flushing
  }
}
