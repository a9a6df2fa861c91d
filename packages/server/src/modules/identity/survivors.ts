import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

/**
 * The survivor of merged profiles, written once (DESIGN §6): a profile merged into another leads
 * to it; merges are flattened, so a survivor is never merged itself. Other modules use these and
 * never read `profiles.merged_into` themselves.
 */

/** Each known profile id of the workspace → its survivor (itself when not merged). Unknown ids are absent. */
export async function survivorsOf(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
  if (profileIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', sql<string>`ANY(${[...new Set(profileIds)]}::uuid[])`)
    .execute()
  return new Map(rows.map((r) => [r.id, r.merged_into ?? r.id]))
}

/** The survivor of one profile id of the workspace, or undefined when there is no such profile. */
export async function survivorOf(db: Executor, workspaceId: string, profileId: string): Promise<string | undefined> {
  return (await survivorsOf(db, workspaceId, [profileId])).get(profileId)
}

/** Survivors and every profile merged into them, as ids: whose events and memberships make up a customer. */
export async function withMergedIds(db: Executor, workspaceId: string, survivorIds: readonly string[]): Promise<string[]> {
  if (survivorIds.length === 0) return []
  const rows = await db
    .selectFrom('profiles')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('id', '=', sql<string>`ANY(${[...survivorIds]}::uuid[])`),
        eb('merged_into', '=', sql<string>`ANY(${[...survivorIds]}::uuid[])`),
      ]),
    )
    .execute()
  return rows.map((r) => r.id)
}

/**
 * SQL for compilers: `ids` and the profiles merged into them, as a `uuid[]` (probed in the primary key:
 * an OR with a subquery against a large table filtered every row instead).
 */
export function withMergedSql(ids: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`ARRAY(SELECT id FROM profiles WHERE id = ANY(${[...ids]}::uuid[]) OR merged_into = ANY(${[...ids]}::uuid[]))`
}

/** SQL for compilers: the survivor of the profile id in `column` (a reference such as `e.profile_id`). */
export function survivorSql(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(SELECT coalesce(p.merged_into, p.id) FROM profiles p WHERE p.id = ${column})`
}

/**
 * SQL for compilers: the workspace's merged-away profiles as rows `(id, survivor)` — or, given
 * `only` survivors, those and the profiles merged into them — to join events with their survivor.
 */
export function survivorMapSql(workspaceId: string, only?: readonly string[]): RawBuilder<{ id: string; survivor: string }> {
  return only
    ? sql`SELECT p.id, coalesce(p.merged_into, p.id) AS survivor FROM profiles p
      WHERE p.workspace_id = ${workspaceId} AND (p.id = ANY(${[...only]}::uuid[]) OR p.merged_into = ANY(${[...only]}::uuid[]))`
    : sql`SELECT p.id, p.merged_into AS survivor FROM profiles p WHERE p.workspace_id = ${workspaceId} AND p.merged_into IS NOT NULL`
}

/** SQL for compilers: the workspace's live (not merged-away) profile ids, or those of `only`. */
export function liveProfilesSql(workspaceId: string, only?: readonly string[]): RawBuilder<{ id: string }> {
  return sql`SELECT p.id FROM profiles p WHERE p.workspace_id = ${workspaceId} AND p.merged_into IS NULL ${only ? sql`AND p.id = ANY(${[...only]}::uuid[])` : sql``}`
}
