import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { ProfileErasure } from '../../platform/modules/module-manifest.js'
import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import { withMergedSql } from '../identity/index.js'
import { allAudienceKinds, type AudienceKindName } from './audience-kinds.js'
import { MEMBERSHIP_TABLES } from './membership.js'

/** Where a page of members starts: after this entry (latest first). */
export interface MemberCursor {
  at: Date
  id: string
}

/** A page of a segment's members, latest entries first. */
export async function segmentMembersPage(
  db: Executor,
  segmentId: string,
  page: { after?: MemberCursor | undefined; limit: number },
): Promise<Array<{ profileId: string; enteredAt: Date }>> {
  let q = db.selectFrom('segment_members').select(['profile_id', 'entered_at']).where('segment_id', '=', segmentId)
  if (page.after) q = q.where(sql<boolean>`(entered_at, profile_id) < (${page.after.at}, ${page.after.id}::uuid)`)
  const rows = await q.orderBy('entered_at', 'desc').orderBy('profile_id', 'desc').limit(page.limit).execute()
  return rows.map((r) => ({ profileId: r.profile_id, enteredAt: r.entered_at }))
}

/** A page of a segment's members for an export: with their traits and user id. */
export async function segmentMembersExportPage(
  db: Executor,
  segmentId: string,
  page: { after?: MemberCursor | undefined; limit: number },
): Promise<Array<{ profileId: string; enteredAt: Date; traits: Record<string, unknown>; userId: string | null }>> {
  let q = db
    .selectFrom('segment_members as m')
    .innerJoin('profiles as p', 'p.id', 'm.profile_id')
    .select([
      'm.profile_id',
      'm.entered_at',
      'p.traits',
      sql<string | null>`(SELECT value FROM profile_identifiers pi WHERE pi.profile_id = m.profile_id AND pi.type = 'user_id' LIMIT 1)`.as(
        'user_id',
      ),
    ])
    .where('m.segment_id', '=', segmentId)
  if (page.after) q = q.where(sql<boolean>`(m.entered_at, m.profile_id) < (${page.after.at}, ${page.after.id}::uuid)`)
  const rows = await q.orderBy('m.entered_at', 'desc').orderBy('m.profile_id', 'desc').limit(page.limit).execute()
  return rows.map((r) => ({
    profileId: r.profile_id,
    enteredAt: r.entered_at,
    traits: (r.traits ?? {}) as Record<string, unknown>,
    userId: r.user_id,
  }))
}

/** SQL for targets: the current members of an audience, as `id`s. */
export function currentMembersSql(audience: { kind: AudienceKindName; id: string }) {
  const a = MEMBERSHIP_TABLES[audience.kind]
  return sql`SELECT profile_id AS id FROM ${sql.table(a.members)} WHERE ${sql.ref(a.key)} = ${audience.id}`
}

/** Entries and exits of a segment per day (in `zone`) since an instant. */
export async function dailyMembershipChanges(
  db: Executor,
  segmentId: string,
  since: Date,
  zone: string,
): Promise<Array<{ day: string; entered: number; exited: number }>> {
  const { rows } = await sql<{ day: string; entered: number; exited: number }>`
    SELECT to_char(at AT TIME ZONE ${zone}, 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE change = 'entered')::int AS entered, count(*) FILTER (WHERE change = 'exited')::int AS exited
    FROM membership_changes WHERE segment_id = ${segmentId} AND at >= ${since} GROUP BY 1 ORDER BY 1`.execute(db)
  return rows
}

/** The audiences of a kind a (surviving) profile is in, with when it entered, by audience id. */
export async function membershipsOf(db: Executor, kind: AudienceKindName, profileId: string): Promise<Map<string, Date>> {
  const a = MEMBERSHIP_TABLES[kind]
  const { rows } = await sql<{ id: string; at: Date }>`
    SELECT ${sql.ref(a.key)} AS id, ${sql.ref(a.at)} AS at FROM ${sql.table(a.members)} WHERE profile_id = ${profileId}`.execute(db)
  return new Map(rows.map((r) => [r.id, r.at]))
}

/** A customer's entries and exits (the survivor's and those of profiles merged into it), newest first. */
export async function membershipHistory(db: Executor, workspaceId: string, survivorId: string, limit: number) {
  return db
    .selectFrom('membership_changes')
    .select(['at', 'change', 'segment_id', 'tag_id', 'actor_label'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', sql<string>`ANY(${withMergedSql([survivorId])})`)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Erasure: the erased profiles leave every audience (sizes count them no more) and their history goes. */
export async function eraseMemberships(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void> {
  const members = [...erasure.profileIds]
  if (members.length === 0) return
  for (const kind of allAudienceKinds()) {
    const a = MEMBERSHIP_TABLES[kind.kind]
    const { rows } = await sql<{ id: string; n: number }>`
      SELECT ${sql.ref(a.key)} AS id, count(*)::int AS n FROM ${sql.table(a.members)} WHERE profile_id = ANY(${members}::uuid[]) GROUP BY 1`.execute(
      tx,
    )
    if (rows.length > 0) await kind.resize(tx, new Map(rows.map((r) => [r.id, -r.n])))
  }
  for (const table of ['profile_tags', 'segment_members', 'membership_changes'] as const)
    await tx.deleteFrom(table).where('workspace_id', '=', erasure.workspaceId).where('profile_id', 'in', members).execute()
}
