import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Executor } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { snapshotBounds } from './event-log.js'

declare const LOG_MARK: unique symbol

/**
 * A point in the log, opaque to modules: a computation notes the mark it read as of, and later asks
 * what changed since (`changedSince`). It is stored as text; only the event log reads inside it.
 */
export type LogMark = string & { readonly [LOG_MARK]: true }

/** The mark of the statement it is part of: select it beside what the statement read, so both are of one snapshot. */
export function logMarkNow(): RawBuilder<LogMark> {
  return sql<LogMark>`pg_current_snapshot()::text`
}

/** The mark of now, for a transaction that reads nothing else with it. */
export async function currentLogMark(db: Executor): Promise<LogMark> {
  const { rows } = await sql<{ mark: LogMark }>`SELECT ${logMarkNow()} AS mark`.execute(db)
  const mark = rows[0]?.mark
  if (!mark) throw new Error('PostgreSQL returned no snapshot')
  return mark
}

/**
 * The profiles of a workspace's events that became visible since `mark` and match `where` (a
 * predicate on the `events` row, e.g. on `name` or `properties`), and the mark they were read as of.
 * Profiles are the events' own (merged-away ones included): follow them to survivors with identity.
 */
export async function changedSince(
  tx: Transaction<DB>,
  mark: LogMark,
  filter: { workspaceId: string; where: RawBuilder<unknown> },
): Promise<{ profileIds: string[]; mark: LogMark }> {
  const now = await currentLogMark(tx)
  // Snapshot bounds as values, so the planner reads the (tx_id, id) index.
  const { rows } = await sql<{ profile_id: string }>`
    SELECT DISTINCT profile_id FROM events
    WHERE workspace_id = ${filter.workspaceId}
      AND tx_id >= ${snapshotBounds(mark).xmin}::xid8 AND tx_id < ${snapshotBounds(now).xmax}::xid8
      AND pg_visible_in_snapshot(tx_id, ${now}::pg_snapshot) AND NOT pg_visible_in_snapshot(tx_id, ${mark}::pg_snapshot)
      AND (${filter.where})`.execute(tx)
  return { profileIds: rows.map((r) => r.profile_id), mark: now }
}
