import { fail, type Failure, type Result } from '@reachloop/domain'
import { sql, type Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import { boundedTransaction } from '../../platform/db/bounded-transaction.js'
import type { Executor } from '../../platform/db/database.js'
import type { DB } from '../../platform/db/schema.js'

/** What a full computation computes: a segment, a rule tag or a computed property, by id. */
export type ComputationKey = `${'segment' | 'tag' | 'computed_property'}:${string}`

/**
 * The full computations running in this process, each with the handle that cancels its backend.
 * Kept in memory per process, which is enough while the process an operator's request reaches is
 * the one computing (`reachloop start`, or api processes computing what they were asked to). With
 * several api and worker processes, a cancel reaches only the computations of the process that
 * answers it; reaching the others needs the backend found by its `application_name` in
 * pg_stat_activity (which every computation sets) instead of this map.
 */
const running = new Map<ComputationKey, Set<{ controller: AbortController; done: Promise<unknown>; startedAt: Date }>>()

/**
 * Takes, for the caller's transaction, the lock that lets one computation of `key` run at a time (a
 * full one, the log consumer's upkeep, a deadline job). It is an advisory lock, not a lock on the
 * segment's, tag's or property's row: a save of the definition (which locks the row) is answered at
 * once while a computation runs, and queues the next computation instead of waiting for this one.
 */
export async function lockComputation(db: Executor, key: ComputationKey): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`.execute(db)
}

/** How long a cancel waits for the computation to roll back before it answers. */
const CANCEL_WAIT_MS = 10_000

/**
 * Runs a full computation in a transaction bounded by `COMPUTE_TIMEOUT_MS` that an operator can
 * cancel by its key. A timeout answers `COMPUTATION_TIMED_OUT`, a cancel `COMPUTATION_CANCELLED`;
 * either rolls everything back.
 */
export function runComputation<T>(
  ctx: AppContext,
  key: ComputationKey,
  work: (tx: Transaction<DB>) => Promise<Result<T>>,
): Promise<Result<T>> {
  const controller = new AbortController()
  const timeoutMs = ctx.config.computeTimeoutMs
  const done = boundedTransaction(ctx.db, { timeoutMs, signal: controller.signal, purpose: 'compute' }, work, (why) =>
    why === 'cancelled'
      ? fail('COMPUTATION_CANCELLED', 'The computation was cancelled; nothing it did was kept.', { key })
      : fail(
          'COMPUTATION_TIMED_OUT',
          `The computation took longer than ${timeoutMs / 1000} s (COMPUTE_TIMEOUT_MS) and was stopped; nothing it did was kept. Narrow the definition, or raise COMPUTE_TIMEOUT_MS.`,
          { key, timeoutMs },
        ),
  )
  const entry = { controller, done, startedAt: ctx.clock.now() }
  const entries = running.get(key) ?? new Set()
  running.set(key, entries.add(entry))
  const forget = () => {
    entries.delete(entry)
    if (entries.size === 0 && running.get(key) === entries) running.delete(key)
  }
  return done.finally(forget)
}

/** The computations running in this process, each with when the first of its key started. */
export function runningComputations(): Array<{ key: ComputationKey; startedAt: Date }> {
  return [...running].map(([key, entries]) => ({ key, startedAt: new Date(Math.min(...[...entries].map((e) => e.startedAt.getTime()))) }))
}

/**
 * Cancels the computations of `key` running in this process and waits (a few seconds at most) for
 * them to roll back. Answers whether there was one to cancel.
 */
export async function cancelComputation(key: ComputationKey): Promise<boolean> {
  const entries = [...(running.get(key) ?? [])]
  for (const { controller } of entries) controller.abort()
  if (entries.length > 0)
    await Promise.race([
      Promise.allSettled(entries.map((e) => e.done)),
      new Promise((resolve) => setTimeout(resolve, CANCEL_WAIT_MS).unref()),
    ])
  return entries.length > 0
}

/**
 * A computation's failure, thrown so its job is retried — unless what it computed is gone, or an
 * operator cancelled it (it hogged the database: running it again by itself would undo that).
 */
export function settleComputation(ctx: AppContext, jobId: number, result: { ok: true } | Failure, gone?: string): void {
  if (result.ok || result.code === gone) return
  if (result.code === 'COMPUTATION_CANCELLED') {
    ctx.logger.warn({ jobId, details: result.details }, 'computation cancelled by an operator; not retried')
    return
  }
  throw new Error(`${result.code}: ${result.message ?? ''}`)
}
