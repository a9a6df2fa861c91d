import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

/** An identifier a profile holds, and since when. */
export interface ProfileIdentifier {
  profileId: string
  type: string
  value: string
  firstSeenAt: Date
}

/** Identifiers to look profiles up by: any of the types with any of the values. */
export interface IdentifierMatch {
  types: readonly string[]
  values: readonly string[]
}

/** The identifiers the profiles hold, oldest first. */
export async function identifiersOfProfiles(db: Executor, profileIds: readonly string[]): Promise<ProfileIdentifier[]> {
  if (profileIds.length === 0) return []
  const rows = await db
    .selectFrom('profile_identifiers')
    .select(['profile_id', 'type', 'value', 'first_seen_at'])
    .where('profile_id', 'in', [...profileIds])
    .orderBy('first_seen_at')
    .execute()
  return rows.map((r) => ({ profileId: r.profile_id, type: r.type, value: r.value, firstSeenAt: r.first_seen_at }))
}

/**
 * The profiles holding the identifiers, with the value each matched. Identifiers belong to live
 * profiles (merges move them to the survivor). The values go as one array parameter: `IN (…)` takes
 * a parameter per value, and PostgreSQL refuses past 65,535; naming the types lets the
 * (workspace, type, value) key serve the lookup.
 */
export async function profilesByIdentifiers(
  db: Executor,
  workspaceId: string,
  match: IdentifierMatch,
): Promise<Array<{ profileId: string; type: string; value: string }>> {
  if (match.types.length === 0 || match.values.length === 0) return []
  const rows = await db
    .selectFrom('profile_identifiers')
    .select(['profile_id', 'type', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`type = ANY(${[...match.types]}::text[])`)
    .where(sql<boolean>`value = ANY(${[...match.values]}::text[])`)
    .execute()
  return rows.map((r) => ({ profileId: r.profile_id, type: r.type, value: r.value }))
}

/** The same lookup as a subquery of profile ids, for a query of the caller's (`where('id', 'in', …)`). */
export function profileIdsWithIdentifiers(db: Executor, workspaceId: string, match: IdentifierMatch) {
  return db
    .selectFrom('profile_identifiers')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`type = ANY(${[...match.types]}::text[])`)
    .where(sql<boolean>`value = ANY(${[...match.values]}::text[])`)
}

/** SQL for compilers: the same lookup as rows `(id)` of the profiles holding the identifiers. */
export function profilesWithIdentifiersSql(workspaceId: string, match: IdentifierMatch): RawBuilder<{ id: string }> {
  return sql`SELECT DISTINCT pi.profile_id AS id FROM profile_identifiers pi
    WHERE pi.workspace_id = ${workspaceId} AND pi.type = ANY(${[...match.types]}::text[]) AND pi.value = ANY(${[...match.values]}::text[])`
}

/** Deletes the identifiers profiles hold. */
export async function eraseIdentifiers(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return
  await db
    .deleteFrom('profile_identifiers')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [...profileIds])
    .execute()
}
