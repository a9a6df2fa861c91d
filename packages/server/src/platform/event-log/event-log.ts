import type { Clock } from '@reachloop/domain'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Logger } from 'pino'
import type { DB } from '../db/schema.js'

/** An event as consumers read it from the log. */
export interface LogEvent {
  id: number
  /** The appending transaction (xid8 as text); `(txId, id)` is the event's position in the log. */
  txId: string
  workspaceId: string
  sourceId: string | null
  profileId: string
  messageId: string
  type: string
  name: string | null
  properties: Record<string, unknown>
  traits: Record<string, unknown>
  timestamp: Date
  receivedAt: Date
}

/**
 * A position in the log: every event of a transaction visible in `done` has been read; of those
 * that became visible in `target` since, the ones up to `(cursorTx, cursorId)` too.
 */
export interface LogPosition {
  done: string
  target: string | null
  cursorTx: string
  cursorId: number
}

/**
 * The bounds of a snapshot (`xmin:xmax:xip,…`): every transaction below xmin is finished, none at
 * or above xmax had started. Passed to queries as values, so the planner can use them to pick the
 * `(tx_id, id)` index (a function of a parameter it cannot estimate).
 */
export function snapshotBounds(snapshot: string): { xmin: string; xmax: string } {
  const [xmin = '1', xmax = '1'] = snapshot.split(':')
  return { xmin, xmax }
}

/**
 * Reads up to `limit` events of transactions that are visible in `position.target` but were not in
 * `position.done`, after the cursor, in (transaction, id) order. Sequence ids commit out of order
 * under concurrent writers; snapshots do not: an event is read once its transaction has committed,
 * and never skipped (the PgQ way).
 */
/**
 * Events a consumer has no use for, left in the database: those named in `names`, unless one of their
 * properties holds one of the listed values (e.g. `Segment Entered` only for the segments someone
 * builds on). A step whose events are all skipped moves the position past them.
 */
export interface LogSkip {
  names: readonly string[]
  unless: ReadonlyArray<{ property: string; values: readonly string[] }>
}

export async function readLog(
  db: Kysely<DB> | Transaction<DB>,
  position: LogPosition & { target: string },
  limit: number,
  options: { propertiesOf?: readonly string[]; traitsOf?: readonly string[]; skip?: LogSkip } = {},
): Promise<LogEvent[]> {
  // A consumer that needs the properties of a few events only reads them for those (and the traits
  // of the calls it names): the rest of the log's payload stays in the database.
  const traits = options.traitsOf
    ? sql`CASE WHEN type = ANY(${[...options.traitsOf]}::text[]) THEN traits ELSE '{}'::jsonb END`
    : sql`'{}'::jsonb`
  const payload = options.propertiesOf
    ? sql`CASE WHEN name = ANY(${[...options.propertiesOf]}::text[]) THEN properties ELSE '{}'::jsonb END AS properties, ${traits} AS traits`
    : sql`properties, traits`
  const skip = options.skip
  const kept = skip
    ? sql`AND (name IS NULL OR name <> ALL(${[...skip.names]}::text[]) ${sql.join(
        skip.unless.map((u) => sql`OR properties->>${u.property} = ANY(${[...u.values]}::text[])`),
        sql` `,
      )})`
    : sql``
  // Where the index scan starts: after the cursor, and not below the oldest transaction `done` did
  // not see. One row comparison: beside a separate `tx_id >=` bound, btree started from the row
  // bound and walked every older entry (half a second at 10M events).
  const xmin = snapshotBounds(position.done).xmin
  const start = BigInt(position.cursorTx) >= BigInt(xmin) ? { tx: position.cursorTx, id: position.cursorId } : { tx: xmin, id: -1 }
  // One row holding the batch as JSON: parsed natively, far cheaper than a thousand protocol rows.
  const { rows } = await sql<{
    batch: Array<{
      id: number
      tx_id: string
      workspace_id: string
      source_id: string | null
      profile_id: string
      message_id: string
      type: string
      name: string | null
      properties: Record<string, unknown>
      traits: Record<string, unknown>
      timestamp: string
      received_at: string
    }> | null
  }>`
    SELECT json_agg(b ORDER BY b.tx_id, b.id) AS batch FROM (
      SELECT id, tx_id, workspace_id, source_id, profile_id, message_id, type, name, ${payload}, timestamp, received_at
      FROM events
      WHERE tx_id < ${snapshotBounds(position.target).xmax}::xid8 AND (tx_id, id) > (${start.tx}::xid8, ${start.id}::bigint)
        AND pg_visible_in_snapshot(tx_id, ${position.target}::pg_snapshot)
        AND NOT pg_visible_in_snapshot(tx_id, ${position.done}::pg_snapshot)
        ${kept}
      ORDER BY tx_id, id
      LIMIT ${limit}) AS b`.execute(db)
  return (rows[0]?.batch ?? []).map((r) => ({
    id: Number(r.id),
    txId: String(r.tx_id),
    workspaceId: r.workspace_id,
    sourceId: r.source_id,
    profileId: r.profile_id,
    messageId: r.message_id,
    type: r.type,
    name: r.name,
    properties: r.properties,
    traits: r.traits,
    timestamp: new Date(r.timestamp),
    receivedAt: new Date(r.received_at),
  }))
}

/**
 * A reader of the log with its own stored position. `handle` runs in the transaction that moves the
 * position, so its effects and the new position commit together: a crash replays the batch
 * (at-least-once), so effects must be idempotent.
 */
export interface LogConsumer {
  name: string
  /** Events per batch (default 500). */
  batchSize?: number
  /**
   * The pause once a step leaves it caught up (instead of the runner's poll): how long the results of
   * a consumer whose results may lag (statistics such as the catalogue and the rollups) wait for the
   * next events, read then in one larger batch.
   */
  pauseMs?: number
  /**
   * A background consumer (statistics) yields to ingestion: while the process is taking events
   * (the runner's `busy`), its steps use at most `share` of the time (after a 100 ms step at 0.1 it
   * waits 900 ms), so a burst of traffic keeps the cores and the statistics catch up after it — at
   * full speed once the events it reads are older than `maxLagMs`, so a lasting load cannot leave them
   * ever further behind.
   */
  background?: { share: number; maxLagMs: number }
  /** Read properties only of these events (the others come with `{}`); all when absent. */
  propertiesOf?: readonly string[]
  /** With `propertiesOf`: the traits of these calls (`identify`…) are read too (else every event's traits are `{}`). */
  traitsOf?: readonly string[]
  /**
   * Runs first in each step, in its transaction. Answering `idle` (nothing would use the events)
   * moves the position to now without reading them; answering `{ skip }` reads past the events the
   * consumer has no use for this step.
   */
  prepare?(tx: Transaction<DB>): Promise<'idle' | 'ready' | { skip: LogSkip }>
  handle(tx: Transaction<DB>, events: LogEvent[]): Promise<void>
}

/** What one step did: the events handled, and when the last of them was received (how far behind the consumer is). */
type StepResult = { handled: number; lastReceivedAt: Date | null }

/** How far a consumer has come. */
export interface ConsumerState {
  name: string
  position: LogPosition
  processed: number
  updatedAt: Date
}

/**
 * Runs log consumers: each step takes the consumer's row with `FOR UPDATE SKIP LOCKED` (so with
 * several worker processes one of them runs a given consumer at a time), reads the next batch,
 * hands it over and stores the new position, all in one transaction.
 *
 * @example
 * const log = new EventLogRunner(ctx.db, ctx.clock, { pollMs: 200 })
 * log.register({ name: 'segments', handle: async (tx, events) => { ... } })
 * log.start()
 */
export class EventLogRunner {
  readonly #consumers = new Map<string, LogConsumer>()
  readonly #ensured = new Set<string>()
  #stopping = false
  #loops: Array<Promise<void>> = []
  #wakes = new Set<() => void>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly options: {
      pollMs: number
      logger?: Logger
      /** Whether the process is taking events right now (recent ingestion requests): background consumers then yield. */
      busy?: () => boolean
    },
  ) {}

  register(consumer: LogConsumer): this {
    this.#consumers.set(consumer.name, consumer)
    return this
  }

  get consumers(): string[] {
    return [...this.#consumers.keys()]
  }

  /**
   * One batch for one consumer. Returns the number of events handled: 0 when it is caught up or
   * another process is running it. A failing handler rolls the batch back; the position stays.
   */
  async step(name: string): Promise<number> {
    return (await this.#step(name)).handled
  }

  async #step(name: string): Promise<StepResult> {
    const consumer = this.#consumers.get(name)
    if (!consumer) throw new Error(`No log consumer named ${name}`)
    if (!this.#ensured.has(name)) {
      await this.db
        .insertInto('log_consumers')
        .values({ name, updated_at: this.clock.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute()
      this.#ensured.add(name)
    }
    return this.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ done_snapshot: string; target_snapshot: string | null; cursor_tx: string; cursor_id: number }>`
        SELECT done_snapshot, target_snapshot, cursor_tx::text AS cursor_tx, cursor_id FROM log_consumers WHERE name = ${name} FOR UPDATE SKIP LOCKED`.execute(
        tx,
      )
      const none: StepResult = { handled: 0, lastReceivedAt: null }
      const row = rows[0]
      if (!row) return none
      const now = async () =>
        (await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(tx)).rows[0]?.s ?? row.done_snapshot
      const prepared = await consumer.prepare?.(tx)
      if (prepared === 'idle') {
        await sql`UPDATE log_consumers SET done_snapshot = ${await now()}, target_snapshot = NULL, cursor_tx = '0', cursor_id = 0, updated_at = ${this.clock.now()} WHERE name = ${name}`.execute(
          tx,
        )
        return none
      }
      const batch = consumer.batchSize ?? 500
      // Reading towards a snapshot (taken now when there is none); once its difference is read to
      // the end, it becomes the starting point and a fresh one is taken at once.
      let position: LogPosition & { target: string } = row.target_snapshot
        ? { done: row.done_snapshot, target: row.target_snapshot, cursorTx: row.cursor_tx, cursorId: row.cursor_id }
        : { done: row.done_snapshot, target: await now(), cursorTx: '0', cursorId: 0 }
      const read = {
        ...(consumer.propertiesOf ? { propertiesOf: consumer.propertiesOf } : {}),
        ...(consumer.traitsOf ? { traitsOf: consumer.traitsOf } : {}),
        ...(typeof prepared === 'object' ? { skip: prepared.skip } : {}),
      }
      let events = await readLog(tx, position, batch, read)
      if (events.length === 0 && row.target_snapshot) {
        position = { done: position.target, target: await now(), cursorTx: '0', cursorId: 0 }
        events = await readLog(tx, position, batch, read)
      }
      const last = events.at(-1)
      if (!last) {
        await sql`UPDATE log_consumers SET done_snapshot = ${position.target}, target_snapshot = NULL, cursor_tx = '0', cursor_id = 0, updated_at = ${this.clock.now()} WHERE name = ${name}`.execute(
          tx,
        )
        return none
      }
      await consumer.handle(tx, events)
      await sql`UPDATE log_consumers SET done_snapshot = ${position.done}, target_snapshot = ${position.target}, cursor_tx = ${last.txId}::xid8, cursor_id = ${last.id}, processed = processed + ${events.length}, updated_at = ${this.clock.now()} WHERE name = ${name}`.execute(
        tx,
      )
      return { handled: events.length, lastReceivedAt: last.receivedAt }
    })
  }

  /** Steps a consumer until it is caught up; returns the events handled. */
  async drain(name: string): Promise<number> {
    let total = 0
    for (let n = await this.step(name); n > 0; n = await this.step(name)) total += n
    return total
  }

  /** Wakes the consumers now (after an append in this process) instead of at the next poll. */
  notify(): void {
    for (const wake of this.#wakes) wake()
  }

  start(): void {
    if (this.#loops.length > 0) return
    this.#loops = this.consumers.map((name) => this.#run(name))
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.notify()
    await Promise.all(this.#loops)
  }

  async #run(name: string): Promise<void> {
    const consumer = this.#consumers.get(name)
    while (!this.#stopping) {
      let step: StepResult = { handled: 0, lastReceivedAt: null }
      const started = performance.now()
      try {
        step = await this.#step(name)
      } catch (error) {
        this.options.logger?.warn({ err: error, consumer: name }, 'log consumer failed; the batch will be read again')
      }
      const rest = this.#restAfter(consumer, step, performance.now() - started)
      // A full batch means more is waiting: go on at once, unless yielding to ingestion.
      if (rest === 0) continue
      await this.#sleep(rest)
    }
  }

  /**
   * How long a consumer waits after a step of `took` ms (0: go on at once). A full batch goes on at
   * once; a background consumer yielding to ingestion rests so its steps take `share` of the time; otherwise
   * it waits for a poll (or its own pause).
   */
  #restAfter(consumer: LogConsumer | undefined, step: StepResult, took: number): number {
    const pauseMs = Math.max(this.options.pollMs, consumer?.pauseMs ?? 0)
    const full = step.handled > 0 && step.handled >= (consumer?.batchSize ?? 500)
    const background = consumer?.background
    const lagMs = step.lastReceivedAt === null ? 0 : this.clock.now().getTime() - step.lastReceivedAt.getTime()
    if (background && this.options.busy?.() === true && lagMs < background.maxLagMs)
      return Math.max(pauseMs, (took * (1 - background.share)) / background.share)
    return full ? 0 : pauseMs
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.#wakes.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.#wakes.add(wake)
    })
  }
}

/** Every consumer's position and how many events it has handled. */
export async function consumerStates(db: Kysely<DB>): Promise<ConsumerState[]> {
  const { rows } = await sql<{
    name: string
    done_snapshot: string
    target_snapshot: string | null
    cursor_tx: string
    cursor_id: number
    processed: number
    updated_at: Date
  }>`
    SELECT name, done_snapshot, target_snapshot, cursor_tx::text AS cursor_tx, cursor_id, processed, updated_at FROM log_consumers ORDER BY name`.execute(
    db,
  )
  return rows.map((r) => ({
    name: r.name,
    position: { done: r.done_snapshot, target: r.target_snapshot, cursorTx: r.cursor_tx, cursorId: r.cursor_id },
    processed: r.processed,
    updatedAt: r.updated_at,
  }))
}
