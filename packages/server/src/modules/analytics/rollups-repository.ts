import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { DailyDelta } from './rollup-tally.js'

// The module's tables are not in the platform's schema types: its own SQL reads and writes them.

/** The time zones of the workspaces, for the days their events fall on. */
export async function workspaceZones(db: Executor, workspaceIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('workspaces')
    .select(['id', 'time_zone'])
    .where('id', '=', sql<string>`ANY(${[...workspaceIds]}::uuid[])`)
    .execute()
  return new Map(rows.map((r) => [r.id, r.time_zone]))
}

/** Adds the figures, one row per key (the caller has summed them: a key may appear once). */
export async function addDailyValues(db: Executor, deltas: readonly DailyDelta[]): Promise<void> {
  if (deltas.length === 0) return
  // In one order of keys, so writers upserting the same rows (the consumer, an erasure) queue rather than deadlock.
  deltas = [...deltas].sort(
    (a, b) =>
      a.workspaceId.localeCompare(b.workspaceId) ||
      a.metric.localeCompare(b.metric) ||
      a.day.localeCompare(b.day) ||
      a.key.localeCompare(b.key),
  )
  await sql`
    INSERT INTO analytics_daily (workspace_id, metric, day, key, value)
    SELECT * FROM unnest(${deltas.map((d) => d.workspaceId)}::uuid[], ${deltas.map((d) => d.metric)}::text[],
      ${deltas.map((d) => d.day)}::date[], ${deltas.map((d) => d.key)}::text[], ${deltas.map((d) => d.value)}::bigint[])
    ON CONFLICT (workspace_id, metric, day, key) DO UPDATE SET value = analytics_daily.value + excluded.value`.execute(db)
}

/** Marks customers active on days (already marked ones stay as they are). Sorted, so concurrent writers take locks in one order. */
export async function addActiveDays(
  db: Executor,
  rows: ReadonlyArray<{ workspaceId: string; day: string; profileId: string }>,
): Promise<void> {
  if (rows.length === 0) return
  const sorted = [...rows].sort(
    (a, b) => a.workspaceId.localeCompare(b.workspaceId) || a.day.localeCompare(b.day) || a.profileId.localeCompare(b.profileId),
  )
  await sql`
    INSERT INTO analytics_active_days (workspace_id, day, profile_id)
    SELECT * FROM unnest(${sorted.map((r) => r.workspaceId)}::uuid[], ${sorted.map((r) => r.day)}::date[], ${sorted.map((r) => r.profileId)}::uuid[])
    ON CONFLICT DO NOTHING`.execute(db)
}

/** Counts profiles as customers from their first day; returns those not counted before. */
export async function addCustomers(
  db: Executor,
  rows: ReadonlyArray<{ workspaceId: string; profileId: string; day: string }>,
): Promise<Array<{ workspaceId: string; day: string }>> {
  if (rows.length === 0) return []
  const { rows: added } = await sql<{ workspace_id: string; first_day: string }>`
    INSERT INTO analytics_customers (workspace_id, profile_id, first_day)
    SELECT * FROM unnest(${rows.map((r) => r.workspaceId)}::uuid[], ${rows.map((r) => r.profileId)}::uuid[], ${rows.map((r) => r.day)}::date[])
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, to_char(first_day, 'YYYY-MM-DD') AS first_day`.execute(db)
  return added.map((r) => ({ workspaceId: r.workspace_id, day: r.first_day }))
}

/** Stops counting profiles as customers (merged into another, erased); returns those that were counted, with their first day. */
export async function removeCustomers(
  db: Executor,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Array<{ profileId: string; day: string }>> {
  if (profileIds.length === 0) return []
  const { rows } = await sql<{ profile_id: string; first_day: string }>`
    DELETE FROM analytics_customers WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...profileIds]}::uuid[])
    RETURNING profile_id, to_char(first_day, 'YYYY-MM-DD') AS first_day`.execute(db)
  return rows.map((r) => ({ profileId: r.profile_id, day: r.first_day }))
}

/** A survivor first seen after a profile merged into it was is a customer from that earlier day: returns the day it moved from, if it did. */
export async function keepEarlierDay(db: Executor, workspaceId: string, profileId: string, day: string): Promise<string | undefined> {
  const { rows } = await sql<{ before: string }>`
    UPDATE analytics_customers c SET first_day = ${day}::date
    FROM (SELECT first_day FROM analytics_customers WHERE workspace_id = ${workspaceId} AND profile_id = ${profileId} FOR UPDATE) AS old
    WHERE c.workspace_id = ${workspaceId} AND c.profile_id = ${profileId} AND c.first_day > ${day}::date
    RETURNING to_char(old.first_day, 'YYYY-MM-DD') AS before`.execute(db)
  return rows[0]?.before
}

/**
 * Merged profiles' active days become their survivors': a day both were active on counts once.
 * Runs in the merge's transaction (the hook) and again when the consumer reaches the merge in the
 * log, which catches days a batch wrote while the merge was committing.
 */
export async function moveActiveDays(
  db: Executor,
  workspaceId: string,
  merges: ReadonlyArray<{ mergedId: string; survivorId: string }>,
): Promise<void> {
  const moves = merges.filter((m) => m.mergedId !== m.survivorId)
  if (moves.length === 0) return
  const froms = moves.map((m) => m.mergedId)
  const intos = moves.map((m) => m.survivorId)
  await sql`
    WITH moved AS (
      DELETE FROM analytics_active_days WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${froms}::uuid[]) RETURNING day, profile_id)
    INSERT INTO analytics_active_days (workspace_id, day, profile_id)
    SELECT DISTINCT ${workspaceId}::uuid, day, (${intos}::uuid[])[array_position(${froms}::uuid[], profile_id)] FROM moved ORDER BY 2, 3
    ON CONFLICT DO NOTHING`.execute(db)
}

/** Forgets erased profiles' active days. */
export async function eraseActiveDays(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return
  await sql`DELETE FROM analytics_active_days WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...profileIds]}::uuid[])`.execute(
    db,
  )
}
