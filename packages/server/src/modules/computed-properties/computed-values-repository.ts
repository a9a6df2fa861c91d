import { computedChangesWithTime, type ComputedDefinition, type RfmBands } from '@reachloop/domain'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { logMarkNow, type LogMark } from '../../platform/event-log/log-mark.js'
import {
  compileComputed,
  compileRfmBands,
  compileRfmMeasures,
  lockComputation,
  workspaceZone,
  type EvaluableProperty,
  type ValuesOutcome,
} from '../audiences/index.js'
import { withMergedSql } from '../identity/index.js'

/**
 * Computes a property and stores the values: for the whole workspace (a full computation, which
 * also takes RFM bands afresh and notes the snapshot it read) or for some profiles (incremental
 * upkeep from the event log). Values that did not change are left alone; one statement writes them.
 */
export async function computeValues(
  db: Executor,
  property: EvaluableProperty,
  options: { now: Date; profileIds?: readonly string[]; timeZone?: string },
): Promise<ValuesOutcome> {
  const only = options.profileIds
  if (only && only.length === 0) return { changed: 0, changedIds: [], mark: null }
  // One computation of a property at a time (a full one, the log consumer, a deadline job).
  await lockComputation(db, `computed_property:${property.id}`)
  const scope = {
    workspaceId: property.workspaceId,
    now: options.now,
    timeZone: options.timeZone ?? (await workspaceZone(db, property.workspaceId)),
    ...(only ? { profileIds: only } : {}),
  }
  // RFM quintiles are of the whole workspace: a full computation takes them afresh (in the same
  // statement); incremental upkeep scores against the stored ones.
  let bands = property.bands
  if (property.definition.kind === 'rfm' && only && !bands) {
    const { rows } =
      await sql<RfmBands>`${compileRfmBands(compileRfmMeasures(property.definition, { ...scope, profileIds: undefined }))}`.execute(db)
    bands = rows[0] ?? { recency: [], frequency: [], monetary: [] }
  }
  const fresh = property.definition.kind === 'rfm' && !only
  const target = compileComputed(property.definition, scope, fresh ? 'compute' : (bands ?? undefined))
  const inScope = only ? sql`AND c.profile_id = ANY(${withMergedSql(only)})` : sql``
  const { rows } = await sql<{ n: number; ids: string[] | null; mark: LogMark; bands: RfmBands | null }>`
    WITH target AS MATERIALIZED (${target}),
    written AS (
      INSERT INTO computed_values AS c (workspace_id, computed_property_id, profile_id, value, updated_at)
      SELECT ${property.workspaceId}, ${property.id}, t.id, t.value, ${options.now} FROM target t
      ON CONFLICT (computed_property_id, profile_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        WHERE c.value IS DISTINCT FROM excluded.value
      RETURNING profile_id),
    gone AS (
      DELETE FROM computed_values c WHERE c.computed_property_id = ${property.id} ${inScope}
        AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = c.profile_id)
      RETURNING c.profile_id)
    SELECT count(*)::int AS n, ${only ? sql`array_agg(profile_id)` : sql`NULL::uuid[]`} AS ids, ${logMarkNow()} AS mark,
      ${fresh ? sql`(SELECT bands FROM target LIMIT 1)` : sql`NULL::jsonb`} AS bands
    FROM (SELECT profile_id FROM written UNION SELECT profile_id FROM gone) AS x`.execute(db)
  const outcome = { changed: rows[0]?.n ?? 0, changedIds: rows[0]?.ids ?? [], mark: rows[0]?.mark ?? null }
  if (fresh) bands = rows[0]?.bands ?? { recency: [], frequency: [], monetary: [] }
  if (!only) {
    await db
      .updateTable('computed_properties')
      .set({
        computed_at: options.now,
        computed_snapshot: outcome.mark,
        changes_with_time: computedChangesWithTime(property.definition),
        bands: bands ? JSON.stringify(bands) : null,
      })
      .where('id', '=', property.id)
      .execute()
  }
  return outcome
}

/** The lowest and highest numeric value of a property. */
export async function numericRange(db: Executor, id: string): Promise<{ lo: number | null; hi: number | null }> {
  const { rows } = await sql<{ lo: number | null; hi: number | null }>`
    SELECT min(rl_num(value)) AS lo, max(rl_num(value)) AS hi FROM computed_values WHERE computed_property_id = ${id}`.execute(db)
  return { lo: rows[0]?.lo ?? null, hi: rows[0]?.hi ?? null }
}

/** Profiles per bucket `b` (0 to 9) of numeric values, from `lo` in steps of `width`. */
export async function numericBuckets(db: Executor, id: string, lo: number, width: number): Promise<Array<{ b: number; n: number }>> {
  const { rows } = await sql<{ b: number; n: number }>`
    SELECT least(floor((rl_num(value) - ${lo}::double precision) / ${width}::double precision), 9)::int AS b, count(*)::int AS n
    FROM computed_values WHERE computed_property_id = ${id} AND rl_num(value) IS NOT NULL GROUP BY 1 ORDER BY 1`.execute(db)
  return rows
}

/** Profiles per label (the RFM group, or a text value), the 20 largest. */
export async function labelCounts(db: Executor, id: string, rfm: boolean): Promise<Array<{ value: string; n: number }>> {
  const label = rfm ? sql`value ->> 'group'` : sql`CASE WHEN jsonb_typeof(value) = 'string' THEN value #>> '{}' END`
  const { rows } = await sql<{ value: string; n: number }>`
    SELECT ${label} AS value, count(*)::int AS n FROM computed_values WHERE computed_property_id = ${id} AND ${label} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`.execute(
    db,
  )
  return rows
}

/** A (surviving) profile's stored value of every property of the workspace, by property name. */
export async function profileValues(db: Executor, workspaceId: string, profileId: string) {
  const rows = await db
    .selectFrom('computed_properties as cp')
    .leftJoin('computed_values as cv', (join) => join.onRef('cv.computed_property_id', '=', 'cp.id').on('cv.profile_id', '=', profileId))
    .select(['cp.id', 'cp.name', 'cp.definition', 'cp.empty_value', 'cp.computed_at', 'cv.value', 'cv.updated_at'])
    .where('cp.workspace_id', '=', workspaceId)
    .orderBy('cp.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: (r.definition as ComputedDefinition).kind,
    emptyValue: r.empty_value,
    computedAt: r.computed_at,
    value: r.value,
    updatedAt: r.updated_at,
  }))
}

/** Erasure: the values of the erased profiles go. */
export async function eraseValues(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return
  await db
    .deleteFrom('computed_values')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [...profileIds])
    .execute()
}
