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

/** A position in the log: everything up to and including this event has been read. */
export interface LogPosition {
  txId: string
  eventId: number
}

/** The position before the first event. */
export const LOG_START: LogPosition = { txId: '0', eventId: 0 }

/**
 * Reads up to `limit` events after `after`, in commit order. Sequence ids commit out of order under
 * concurrent writers, so the log is ordered by (appending transaction, id) and read only below the
 * oldest transaction still running (`pg_snapshot_xmin`): once read past, no event can appear behind.
 */
export async function readLog(db: Kysely<DB> | Transaction<DB>, after: LogPosition, limit: number): Promise<LogEvent[]> {
  const { rows } = await sql<{ id: number; tx_id: string; workspace_id: string; source_id: string | null; profile_id: string; message_id: string; type: string; name: string | null; properties: Record<string, unknown>; traits: Record<string, unknown>; timestamp: Date; received_at: Date }>`
    SELECT id, tx_id::text AS tx_id, workspace_id, source_id, profile_id, message_id, type, name, properties, traits, timestamp, received_at
    FROM events
    WHERE (tx_id, id) > (${after.txId}::xid8, ${after.eventId}::bigint)
      AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY tx_id, id
    LIMIT ${limit}`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    txId: r.tx_id,
    workspaceId: r.workspace_id,
    sourceId: r.source_id,
    profileId: r.profile_id,
    messageId: r.message_id,
    type: r.type,
    name: r.name,
    properties: r.properties,
    traits: r.traits,
    timestamp: r.timestamp,
    receivedAt: r.received_at,
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
  handle(tx: Transaction<DB>, events: LogEvent[]): Promise<void>
}

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
    private readonly options: { pollMs: number; logger?: Logger },
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
    const consumer = this.#consumers.get(name)
    if (!consumer) throw new Error(`No log consumer named ${name}`)
    if (!this.#ensured.has(name)) {
      await this.db.insertInto('log_consumers').values({ name, updated_at: this.clock.now() }).onConflict((oc) => oc.column('name').doNothing()).execute()
      this.#ensured.add(name)
    }
    return this.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ tx_id: string; event_id: number }>`SELECT tx_id::text AS tx_id, event_id FROM log_consumers WHERE name = ${name} FOR UPDATE SKIP LOCKED`.execute(tx)
      const row = rows[0]
      if (!row) return 0
      const events = await readLog(tx, { txId: row.tx_id, eventId: row.event_id }, consumer.batchSize ?? 500)
      const last = events.at(-1)
      if (!last) return 0
      await consumer.handle(tx, events)
      await sql`UPDATE log_consumers SET tx_id = ${last.txId}::xid8, event_id = ${last.id}, processed = processed + ${events.length}, updated_at = ${this.clock.now()} WHERE name = ${name}`.execute(tx)
      return events.length
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
      let handled = 0
      try {
        handled = await this.step(name)
      } catch (error) {
        this.options.logger?.warn({ err: error, consumer: name }, 'log consumer failed; the batch will be read again')
      }
      // A full batch means more is waiting: go on at once; otherwise wait for a poll or a wake-up.
      if (handled > 0 && handled >= (consumer?.batchSize ?? 500)) continue
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.#wakes.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, this.options.pollMs)
        this.#wakes.add(wake)
      })
    }
  }
}

/** Every consumer's position and how many events it has handled. */
export async function consumerStates(db: Kysely<DB>): Promise<ConsumerState[]> {
  const { rows } = await sql<{ name: string; tx_id: string; event_id: number; processed: number; updated_at: Date }>`
    SELECT name, tx_id::text AS tx_id, event_id, processed, updated_at FROM log_consumers ORDER BY name`.execute(db)
  return rows.map((r) => ({ name: r.name, position: { txId: r.tx_id, eventId: r.event_id }, processed: r.processed, updatedAt: r.updated_at }))
}
