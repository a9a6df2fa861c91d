import { randomUUID } from 'node:crypto'
import type { Failure, Result } from '@reachloop/domain'
import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type Transaction,
  type UnknownRow,
} from 'kysely'
import type { DB } from './schema.js'

/** Why a bounded transaction stopped before its work was done. */
export type Interruption = 'timed_out' | 'cancelled'

/** How long a transaction may hold the database, and what stops it sooner. */
export interface TransactionBounds {
  /** Longest the transaction may run, ms: each statement (PostgreSQL's `statement_timeout`) and the whole. */
  timeoutMs: number
  /** Aborting it cancels the statement running at that moment and rolls the transaction back. */
  signal?: AbortSignal | undefined
  /** What the transaction does, shown in `pg_stat_activity.application_name` while it runs (`reachloop <purpose> <uuid>`). */
  purpose: string
  readOnly?: boolean
}

/** How often a cancel is sent again while the work has not stopped (a statement in flight misses the first). */
const CANCEL_REPEAT_MS = 100

/** Thrown by a statement asked for after the signal aborted, before it reaches the database. */
class Stopped extends Error {}

/** Refuses every statement once the signal has aborted: work between two statements stops at the next one. */
class StopWhenAborted implements KyselyPlugin {
  constructor(private readonly signal: AbortSignal) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.signal.aborted) throw new Stopped('stopped')
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

class Rollback extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code)
  }
}

/** `57014 query_canceled`: by `statement_timeout`, or by `pg_cancel_backend`. */
const canceledBy = (error: unknown): Interruption | null => {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '57014') return null
  return /statement timeout/.test(String((error as { message?: unknown }).message)) ? 'timed_out' : 'cancelled'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `work` in a transaction that cannot hold the database past `timeoutMs` and stops when
 * `signal` aborts: the statement running is cancelled in the database (`pg_cancel_backend` of the
 * transaction's backend, from another pooled connection), the transaction rolls back and the answer
 * is `interrupted(why)`. Like `transact`, an expected failure returned by `work` rolls back too.
 * `statement_timeout` is set with `SET LOCAL` semantics, so it ends with the transaction and never
 * reaches the next user of the pooled connection.
 *
 * @example
 * return boundedTransaction(ctx.db, { timeoutMs: 30_000, signal, purpose: 'preview', readOnly: true },
 *   async (tx) => ok(await count(tx)), (why) => fail(why === 'timed_out' ? 'PREVIEW_TIMED_OUT' : 'PREVIEW_CANCELLED'))
 */
export async function boundedTransaction<T>(
  db: Kysely<DB>,
  bounds: TransactionBounds,
  work: (tx: Transaction<DB>) => Promise<Result<T>>,
  interrupted: (why: Interruption) => Failure,
): Promise<Result<T>> {
  const deadline = AbortSignal.timeout(bounds.timeoutMs)
  const signal = bounds.signal ? AbortSignal.any([bounds.signal, deadline]) : deadline
  const why = (): Interruption => (bounds.signal?.aborted ? 'cancelled' : 'timed_out')
  if (signal.aborted) return interrupted(why())
  // The tag names this transaction in pg_stat_activity; a cancel checks it so it can never reach the
  // next user of the connection once the transaction is over (application_name reverts with it).
  const tag = `reachloop ${bounds.purpose.slice(0, 16)} ${randomUUID()}`
  let working = false
  let cancelling: Promise<void> | undefined
  const cancel = (pid: number) => async () => {
    while (working) {
      await sql`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = ${pid} AND application_name = ${tag}`
        .execute(db)
        .catch(() => undefined)
      await sleep(CANCEL_REPEAT_MS)
    }
  }
  let onAbort: (() => void) | undefined
  const builder = bounds.readOnly ? db.transaction().setAccessMode('read only') : db.transaction()
  try {
    return await builder.execute(async (tx) => {
      // set_config(…, true) is SET LOCAL, which takes no parameters.
      const { rows } = await sql<{
        pid: number
      }>`SELECT pg_backend_pid() AS pid, set_config('statement_timeout', ${String(bounds.timeoutMs)}, true), set_config('application_name', ${tag}, true)`.execute(
        tx,
      )
      const pid = rows[0]?.pid ?? 0
      working = true
      onAbort = () => void (cancelling ??= cancel(pid)())
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        const result = await work(tx.withPlugin(new StopWhenAborted(signal)))
        if (!result.ok) throw new Rollback(result)
        return result
      } finally {
        // From here on the transaction only commits or rolls back: nothing left to cancel.
        working = false
        signal.removeEventListener('abort', onAbort)
      }
    })
  } catch (error) {
    if (error instanceof Rollback) return error.failure
    if (signal.aborted && (error instanceof Stopped || canceledBy(error) !== null)) return interrupted(why())
    const by = canceledBy(error)
    if (by) return interrupted(by)
    throw error
  } finally {
    await cancelling
  }
}
