import { changesWithTime, type SegmentNode } from '@reachloop/domain'
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { compileSegment } from './segment-sql.js'

/** A segment as evaluation needs it. */
export interface EvaluableSegment {
  id: string
  workspaceId: string
  name: string
  definition: SegmentNode
}

/** Entries and exits a (re-)evaluation made. */
export interface MembershipOutcome {
  entered: number
  exited: number
}

/**
 * Makes a segment's members equal to `target` (a query of profile `id`s) within a scope: all of the
 * workspace, or only some profiles (and those merged into them). Entries and exits are kept in the
 * history and appended to the event log as `Segment Entered` / `Segment Exited`, for journeys,
 * reports and segments built on this one — all in one statement.
 */
export async function applyMembership(db: Executor, segment: { id: string; workspaceId: string; name: string }, target: RawBuilder<unknown>, options: { now: Date; actor: string; profileIds?: readonly string[] }): Promise<MembershipOutcome> {
  const { now } = options
  const only = options.profileIds
  // One evaluation of a segment at a time (a full computation, the log consumer, a deadline job).
  await sql`SELECT id FROM segments WHERE id = ${segment.id} FOR UPDATE`.execute(db)
  const inScope = only ? sql`AND (m.profile_id = ANY(${only}::uuid[]) OR m.profile_id IN (SELECT id FROM profiles WHERE merged_into = ANY(${only}::uuid[])))` : sql``
  const { rows } = await sql<{ change: 'entered' | 'exited'; n: number }>`
    WITH target AS MATERIALIZED (${target}),
    entered AS (
      INSERT INTO segment_members (workspace_id, segment_id, profile_id, entered_at)
      SELECT ${segment.workspaceId}, ${segment.id}, t.id, ${now} FROM target t
      ON CONFLICT (segment_id, profile_id) DO NOTHING
      RETURNING profile_id),
    exited AS (
      DELETE FROM segment_members m WHERE m.segment_id = ${segment.id} ${inScope}
        AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.profile_id)
      RETURNING m.profile_id),
    changes AS (SELECT 'entered'::text AS change, profile_id FROM entered UNION ALL SELECT 'exited'::text, profile_id FROM exited),
    history AS (
      INSERT INTO membership_changes (workspace_id, segment_id, profile_id, change, actor_label, at)
      SELECT ${segment.workspaceId}, ${segment.id}, profile_id, change, ${options.actor}, ${now} FROM changes),
    logged AS (
      INSERT INTO events (workspace_id, profile_id, message_id, type, name, properties, timestamp, received_at)
      SELECT ${segment.workspaceId}, profile_id, concat('segment:', ${segment.id}::text, ':', profile_id, ':', change, ':', ${String(now.getTime())}::text), 'track',
             CASE change WHEN 'entered' THEN 'Segment Entered' ELSE 'Segment Exited' END,
             jsonb_build_object('segment_id', ${segment.id}::text, 'segment_name', ${segment.name}::text), ${now}, ${now}
      FROM changes)
    SELECT change, count(*)::int AS n FROM changes GROUP BY change`.execute(db)
  const outcome = { entered: rows.find((r) => r.change === 'entered')?.n ?? 0, exited: rows.find((r) => r.change === 'exited')?.n ?? 0 }
  if (outcome.entered > 0 || outcome.exited > 0) {
    await sql`UPDATE segments SET size = size + ${outcome.entered - outcome.exited} WHERE id = ${segment.id}`.execute(db)
  }
  return outcome
}

/** The workspace's time zone (for profiles without a valid `timezone` trait). */
export async function workspaceZone(db: Executor, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst()
  return row?.time_zone ?? 'Asia/Shanghai'
}

/**
 * Evaluates a dynamic segment and applies the outcome: in full (every live profile of the
 * workspace) or for some profiles only (the incremental path).
 */
export async function evaluateSegmentMembers(db: Executor, segment: EvaluableSegment, options: { now: Date; actor: string; profileIds?: readonly string[]; timeZone?: string }): Promise<MembershipOutcome> {
  if (options.profileIds && options.profileIds.length === 0) return { entered: 0, exited: 0 }
  const timeZone = options.timeZone ?? (await workspaceZone(db, segment.workspaceId))
  const target = compileSegment(segment.definition, { workspaceId: segment.workspaceId, now: options.now, timeZone, ...(options.profileIds ? { profileIds: options.profileIds } : {}) })
  const outcome = await applyMembership(db, segment, target, options)
  if (!options.profileIds) {
    // A full computation also fixes the size and leaves a point for the trend chart.
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM segment_members WHERE segment_id = ${segment.id}`.execute(db)
    const size = rows[0]?.n ?? 0
    await db.updateTable('segments').set({ size, computed_at: options.now, changes_with_time: changesWithTime(segment.definition) }).where('id', '=', segment.id).execute()
    await db.insertInto('segment_sizes').values({ segment_id: segment.id, at: options.now, size }).onConflict((oc) => oc.columns(['segment_id', 'at']).doUpdateSet({ size })).execute()
  }
  return outcome
}
