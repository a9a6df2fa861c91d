import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { appendQueryStatement } from '../../platform/event-log/append.js'
import { logMarkNow, type LogMark } from '../../platform/event-log/log-mark.js'
import { withMergedSql } from '../identity/index.js'
import { audienceKind, type Audience, type AudienceKindName, type EvaluableAudience } from './audience-kinds.js'
import { compileSegment } from './segment-sql.js'
import { workspaceZone } from './workspace-zone.js'

/** Entries and exits a (re-)evaluation made, and the log mark it read as of. */
export interface MembershipOutcome {
  entered: number
  exited: number
  snapshot?: LogMark
}

/** Segments and tags keep members the same way; what differs is where. */
export const MEMBERSHIP_TABLES = {
  segment: {
    members: 'segment_members',
    key: 'segment_id',
    at: 'entered_at',
    entered: 'Segment Entered',
    exited: 'Segment Exited',
    idProperty: 'segment_id',
    nameProperty: 'segment_name',
  },
  tag: {
    members: 'profile_tags',
    key: 'tag_id',
    at: 'added_at',
    entered: 'Tag Added',
    exited: 'Tag Removed',
    idProperty: 'tag_id',
    nameProperty: 'tag_name',
  },
} as const satisfies Record<AudienceKindName, unknown>

/** The events membership changes append: conditions read their properties to tell which segment or tag they are about. */
export const MEMBERSHIP_EVENTS: readonly string[] = Object.values(MEMBERSHIP_TABLES).flatMap((a) => [a.entered, a.exited])

/** A target with nobody in it: applied within some profiles, it takes them all out. */
export const NOBODY = sql`SELECT NULL::uuid AS id WHERE false`

/**
 * Makes an audience's members equal to `target` (a query of profile `id`s) within a scope: all of
 * the workspace, or only some profiles (and those merged into them). Entries and exits are kept in
 * the history and appended to the event log (`Segment Entered` / `Segment Exited`, `Tag Added` /
 * `Tag Removed`) for journeys, reports and segments built on this one — all in one statement.
 */
export async function applyMembership(
  db: Executor,
  audience: Audience,
  target: RawBuilder<unknown>,
  options: { now: Date; actor: string; profileIds?: readonly string[] },
): Promise<MembershipOutcome> {
  const { now } = options
  const only = options.profileIds
  const a = MEMBERSHIP_TABLES[audience.kind]
  const members = sql.table(a.members)
  const key = sql.ref(a.key)
  const owner = audienceKind(audience.kind)
  // One evaluation of an audience at a time (a full computation, the log consumer, a deadline job).
  await owner.lock(db, audience.id)
  const inScope = only ? sql`AND m.profile_id = ANY(${withMergedSql(only)})` : sql``
  const logged = appendQueryStatement(
    { workspaceId: audience.workspaceId, receivedAt: now },
    sql`SELECT profile_id, concat(${audience.kind}::text, ':', ${audience.id}::text, ':', profile_id, ':', change, ':', ${String(now.getTime())}::text) AS message_id,
        CASE change WHEN 'entered' THEN ${a.entered}::text ELSE ${a.exited}::text END AS name,
        jsonb_build_object(${a.idProperty}::text, ${audience.id}::text, ${a.nameProperty}::text, ${audience.name}::text) AS properties,
        ${now}::timestamptz AS timestamp
      FROM changes`,
  )
  const { rows } = await sql<{ change: 'entered' | 'exited' | null; n: number; snapshot: LogMark }>`
    WITH target AS MATERIALIZED (${target}),
    entered AS (
      INSERT INTO ${members} (workspace_id, ${key}, profile_id, ${sql.ref(a.at)})
      SELECT ${audience.workspaceId}, ${audience.id}, t.id, ${now} FROM target t
      ON CONFLICT (${key}, profile_id) DO NOTHING
      RETURNING profile_id),
    exited AS (
      DELETE FROM ${members} m WHERE m.${key} = ${audience.id} ${inScope}
        AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.profile_id)
      RETURNING m.profile_id),
    changes AS (SELECT 'entered'::text AS change, profile_id FROM entered UNION ALL SELECT 'exited'::text, profile_id FROM exited),
    history AS (
      INSERT INTO membership_changes (workspace_id, ${key}, profile_id, change, actor_label, at)
      SELECT ${audience.workspaceId}, ${audience.id}, profile_id, change, ${options.actor}, ${now} FROM changes),
    logged AS (${logged})
    SELECT c.change, count(c.change)::int AS n, ${logMarkNow()} AS snapshot
    FROM (SELECT NULL::text AS change UNION ALL SELECT change FROM changes) AS c GROUP BY c.change`.execute(db)
  const outcome = {
    entered: rows.find((r) => r.change === 'entered')?.n ?? 0,
    exited: rows.find((r) => r.change === 'exited')?.n ?? 0,
    ...(rows[0] ? { snapshot: rows[0].snapshot } : {}),
  }
  if (outcome.entered > 0 || outcome.exited > 0) await owner.resize(db, new Map([[audience.id, outcome.entered - outcome.exited]]))
  return outcome
}

/** How many members an audience has, counted. */
export async function countMembers(db: Executor, audience: Pick<Audience, 'kind' | 'id'>): Promise<number> {
  const a = MEMBERSHIP_TABLES[audience.kind]
  const { rows } = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM ${sql.table(a.members)} WHERE ${sql.ref(a.key)} = ${audience.id}`.execute(db)
  return rows[0]?.n ?? 0
}

/**
 * Evaluates a dynamic segment or a rule tag and applies the outcome: in full (every live profile of
 * the workspace) or for some profiles only (the incremental path).
 */
export async function evaluateAudience(
  db: Executor,
  audience: EvaluableAudience,
  options: { now: Date; actor: string; profileIds?: readonly string[]; timeZone?: string },
): Promise<MembershipOutcome> {
  if (options.profileIds && options.profileIds.length === 0) return { entered: 0, exited: 0 }
  const timeZone = options.timeZone ?? (await workspaceZone(db, audience.workspaceId))
  const target = compileSegment(audience.definition, {
    workspaceId: audience.workspaceId,
    now: options.now,
    timeZone,
    ...(options.profileIds ? { profileIds: options.profileIds } : {}),
  })
  const outcome = await applyMembership(db, audience, target, options)
  // A full computation read the log as of its mark (the consumer catches up what came after); it
  // also fixes the size (and, for a segment, leaves a point for the trend chart).
  if (!options.profileIds) {
    const size = await countMembers(db, audience)
    await audienceKind(audience.kind).computedInFull(db, audience, { size, now: options.now, mark: outcome.snapshot ?? ('' as LogMark) })
  }
  return outcome
}
