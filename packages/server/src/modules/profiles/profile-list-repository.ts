import type { ProfileSort, TraitFilterOperator } from '@reachloop/domain'
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { currentMembersSql } from '../audiences/index.js'
import { liveProfilesSql, profilesWithIdentifiersSql, type IdentifierMatch, type ProfileRecord } from '../identity/index.js'

/** What the customers list is narrowed to; every given filter applies. */
export interface ProfileListWhere {
  workspaceId: string
  withIdentifier?: IdentifierMatch | undefined
  trait?: { name: string; operator: TraitFilterOperator; value: string } | undefined
  segmentId?: string | undefined
  tagId?: string | undefined
}

/** A keyset position in a sorted list: the sort column's instant and the profile id. */
export interface ProfileListCursor {
  at: Date
  id: string
}

const SORT_COLUMNS = { last_seen: 'p.last_seen_at', first_seen: 'p.first_seen_at' } as const

/** The column and direction of a sort, e.g. `first_seen_asc` → first_seen_at ascending. */
export function sortOf(sort: ProfileSort): { column: 'last_seen' | 'first_seen'; descending: boolean } {
  return { column: sort.startsWith('first_seen') ? 'first_seen' : 'last_seen', descending: sort.endsWith('_desc') }
}

// A trait compares as text (`->>`), so `visits = 3` and `vip = true` match what the console shows;
// `contains` ignores case and takes the value literally (strpos, not LIKE, so `%` and `_` are plain).
function traitCondition(trait: NonNullable<ProfileListWhere['trait']>): RawBuilder<boolean> {
  switch (trait.operator) {
    case 'equals':
      return sql<boolean>`p.traits ->> ${trait.name} = ${trait.value}`
    case 'contains':
      return sql<boolean>`strpos(lower(p.traits ->> ${trait.name}), lower(${trait.value})) > 0`
    case 'exists':
      return sql<boolean>`jsonb_typeof(p.traits -> ${trait.name}) IS DISTINCT FROM 'null' AND p.traits ? ${trait.name}`
  }
}

/** The conditions on `profiles p`: live profiles of the workspace (identity says which), then each filter. */
function conditions(where: ProfileListWhere): RawBuilder<boolean>[] {
  const all = [sql<boolean>`p.workspace_id = ${where.workspaceId}`, sql<boolean>`p.id IN (${liveProfilesSql(where.workspaceId)})`]
  if (where.withIdentifier) all.push(sql<boolean>`p.id IN (${profilesWithIdentifiersSql(where.workspaceId, where.withIdentifier)})`)
  if (where.trait) all.push(traitCondition(where.trait))
  // Members are survivors; another workspace's audience holds none of this workspace's profiles.
  if (where.segmentId) all.push(sql<boolean>`p.id IN (${currentMembersSql({ kind: 'segment', id: where.segmentId })})`)
  if (where.tagId) all.push(sql<boolean>`p.id IN (${currentMembersSql({ kind: 'tag', id: where.tagId })})`)
  return all
}

type Row = { id: string; traits: unknown; trait_times: unknown; first_seen_at: Date; last_seen_at: Date }

/** A page of live profiles matching `where`, in the order asked, after a keyset position. */
export async function filteredProfilesPage(
  db: Executor,
  where: ProfileListWhere,
  page: { sort: ProfileSort; after?: ProfileListCursor | undefined; limit: number },
): Promise<ProfileRecord[]> {
  const { column, descending } = sortOf(page.sort)
  const col = sql.ref(SORT_COLUMNS[column])
  const all = conditions(where)
  if (page.after)
    all.push(
      descending
        ? sql<boolean>`(${col}, p.id) < (${page.after.at}, ${page.after.id}::uuid)`
        : sql<boolean>`(${col}, p.id) > (${page.after.at}, ${page.after.id}::uuid)`,
    )
  const direction = descending ? sql`DESC` : sql`ASC`
  const { rows } = await sql<Row>`
    SELECT p.id, p.traits, p.trait_times, p.first_seen_at, p.last_seen_at FROM profiles p
    WHERE ${sql.join(all, sql` AND `)} ORDER BY ${col} ${direction}, p.id ${direction} LIMIT ${page.limit}`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    traits: (r.traits ?? {}) as Record<string, unknown>,
    traitTimes: (r.trait_times ?? {}) as Record<string, number>,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    mergedInto: null,
  }))
}

/** How many live profiles match `where` (without filters, the workspace's live profiles, counted on their index). */
export async function countProfiles(db: Executor, where: ProfileListWhere): Promise<number> {
  const filtered = where.withIdentifier || where.trait || where.segmentId || where.tagId
  const { rows } = filtered
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM profiles p WHERE ${sql.join(conditions(where), sql` AND `)}`.execute(db)
    : await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${liveProfilesSql(where.workspaceId)}) live`.execute(db)
  return rows[0]?.n ?? 0
}
