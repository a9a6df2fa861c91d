import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { profileIdsWithIdentifiers, type IdentifierMatch } from './identifier-repository.js'
import { survivorOf } from './survivors.js'

/** A profile as identity keeps it: its traits (with the time each was set), when it was seen, and whether it was merged away. */
export interface ProfileRecord {
  id: string
  traits: Record<string, unknown>
  traitTimes: Record<string, number>
  firstSeenAt: Date
  lastSeenAt: Date
  mergedInto: string | null
}

type ProfileRow = {
  id: string
  traits: unknown
  trait_times: unknown
  first_seen_at: Date
  last_seen_at: Date
  merged_into: string | null
}

const COLUMNS = ['id', 'traits', 'trait_times', 'first_seen_at', 'last_seen_at', 'merged_into'] as const

/** The one mapping of a `profiles` row: its JSON columns hold objects (the writer stores nothing else). */
export const toProfileRecord = (r: ProfileRow): ProfileRecord => ({
  id: r.id,
  traits: (r.traits ?? {}) as Record<string, unknown>,
  traitTimes: (r.trait_times ?? {}) as Record<string, number>,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  mergedInto: r.merged_into,
})

/** Profiles of the workspace by id (unknown ids are absent), locked for the caller's transaction when asked. */
export async function profileRecords(
  db: Executor,
  workspaceId: string,
  ids: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<ProfileRecord[]> {
  if (ids.length === 0) return []
  const q = db
    .selectFrom('profiles')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...ids])
  return (await (options.forUpdate ? q.forUpdate() : q).execute()).map(toProfileRecord)
}

/** The surviving profile for an id of the workspace: a merged profile leads to the one it was merged into. */
export async function survivingProfile(db: Executor, workspaceId: string, profileId: string): Promise<ProfileRecord | undefined> {
  const survivor = await survivorOf(db, workspaceId, profileId)
  if (!survivor) return undefined
  const row = await db.selectFrom('profiles').select(COLUMNS).where('id', '=', survivor).executeTakeFirst()
  return row && toProfileRecord(row)
}

/** A page of live profiles, most recently seen first, after a keyset position; optionally only those holding an identifier. */
export interface LiveProfilesQuery {
  workspaceId: string
  withIdentifier?: IdentifierMatch | undefined
  after?: { at: Date; id: string } | undefined
  limit: number
}

export async function liveProfilesPage(db: Executor, query: LiveProfilesQuery): Promise<ProfileRecord[]> {
  let q = db.selectFrom('profiles').select(COLUMNS).where('workspace_id', '=', query.workspaceId).where('merged_into', 'is', null)
  if (query.withIdentifier) q = q.where('id', 'in', profileIdsWithIdentifiers(db, query.workspaceId, query.withIdentifier))
  if (query.after) q = q.where(sql<boolean>`(last_seen_at, id) < (${query.after.at}, ${query.after.id}::uuid)`)
  const rows = await q.orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()
  return rows.map(toProfileRecord)
}

/** A survivor's traits after a merge by hand, and the seen times it took from the merged profile. */
export async function saveMergedProfile(
  db: Executor,
  survivorId: string,
  merged: { traits: Record<string, unknown>; traitTimes: Record<string, number>; firstSeenAt: Date; lastSeenAt: Date },
  now: Date,
): Promise<void> {
  await sql`UPDATE profiles SET traits = ${JSON.stringify(merged.traits)}::jsonb, trait_times = ${JSON.stringify(merged.traitTimes)}::jsonb,
    first_seen_at = LEAST(first_seen_at, ${merged.firstSeenAt}), last_seen_at = GREATEST(last_seen_at, ${merged.lastSeenAt}), updated_at = ${now} WHERE id = ${survivorId}`.execute(
    db,
  )
}

/** Deletes profiles: merged ones point at their survivor, so those links go first. */
export async function eraseProfileRows(db: Executor, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return
  await db
    .updateTable('profiles')
    .set({ merged_into: null })
    .where('id', 'in', [...profileIds])
    .execute()
  await db
    .deleteFrom('profiles')
    .where('id', 'in', [...profileIds])
    .execute()
}
