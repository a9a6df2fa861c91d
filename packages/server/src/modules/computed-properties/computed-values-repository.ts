import { computedChangesWithTime, type ComputedDefinition, type RfmBands } from '@reachloop/domain'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { workspaceZone } from './membership.js'
import { compileComputed, compileRfmBands, compileRfmMeasures } from './segment-sql.js'

/** A computed property as upkeep needs it. */
export interface EvaluableProperty {
  id: string
  workspaceId: string
  definition: ComputedDefinition
  /** RFM: the bands of the last full computation (incremental upkeep scores against them). */
  bands: RfmBands | null
}

/** A `computed_properties` row as upkeep reads it. */
export const toEvaluableProperty = (row: { id: string; workspace_id: string; definition: unknown; bands: unknown }): EvaluableProperty => ({
  id: row.id,
  workspaceId: row.workspace_id,
  definition: row.definition as ComputedDefinition,
  bands: (row.bands as RfmBands | null) ?? null,
})

/** What a computation changed, and the snapshot it read. */
export interface ValuesOutcome {
  /** How many profiles' values changed (appeared, changed or went). */
  changed: number
  /** Which, for an incremental computation (a full one can change a million). */
  changedIds: string[]
  snapshot: string
}

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
  if (only && only.length === 0) return { changed: 0, changedIds: [], snapshot: '' }
  // One computation of a property at a time (a full one, the log consumer, a deadline job).
  await sql`SELECT id FROM computed_properties WHERE id = ${property.id} FOR UPDATE`.execute(db)
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
  // The profiles and those merged into them as one array: probed in the primary key (an OR with a
  // subquery filtered every row of the audience instead, 16 ms for one profile at 90,000 rows).
  const inScope = only
    ? sql`AND c.profile_id = ANY(ARRAY(SELECT id FROM profiles WHERE id = ANY(${only}::uuid[]) OR merged_into = ANY(${only}::uuid[])))`
    : sql``
  const { rows } = await sql<{ n: number; ids: string[] | null; snapshot: string; bands: RfmBands | null }>`
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
    SELECT count(*)::int AS n, ${only ? sql`array_agg(profile_id)` : sql`NULL::uuid[]`} AS ids, pg_current_snapshot()::text AS snapshot,
      ${fresh ? sql`(SELECT bands FROM target LIMIT 1)` : sql`NULL::jsonb`} AS bands
    FROM (SELECT profile_id FROM written UNION SELECT profile_id FROM gone) AS x`.execute(db)
  const outcome = { changed: rows[0]?.n ?? 0, changedIds: rows[0]?.ids ?? [], snapshot: rows[0]?.snapshot ?? '' }
  if (fresh) bands = rows[0]?.bands ?? { recency: [], frequency: [], monetary: [] }
  if (!only) {
    await db
      .updateTable('computed_properties')
      .set({
        computed_at: options.now,
        computed_snapshot: outcome.snapshot,
        changes_with_time: computedChangesWithTime(property.definition),
        bands: bands ? JSON.stringify(bands) : null,
      })
      .where('id', '=', property.id)
      .execute()
  }
  return outcome
}
