import type { ProfileDetail } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'

/** One merge of a customer's history, as the profile 360 shows it. */
export type ProfileMerge = ProfileDetail['merges'][number]

/** The merges into any of the profiles, newest first: a customer's merge history. */
export async function mergeHistory(db: Executor, profileIds: readonly string[]): Promise<ProfileMerge[]> {
  if (profileIds.length === 0) return []
  const rows = await db
    .selectFrom('profile_merges')
    .selectAll()
    .where('into_profile_id', 'in', [...profileIds])
    .orderBy('merged_at', 'desc')
    .execute()
  return rows.map((m) => ({
    fromProfileId: m.from_profile_id,
    intoProfileId: m.into_profile_id,
    messageId: m.message_id,
    actor: m.actor_label,
    mergedAt: m.merged_at.toISOString(),
  }))
}

/** Deletes the merges the profiles took part in, and the refusals about them or naming one of their identifier values. */
export async function eraseMergeHistory(
  db: Executor,
  workspaceId: string,
  profileIds: readonly string[],
  identifierValues: readonly string[],
): Promise<void> {
  if (profileIds.length > 0) {
    const ids = [...profileIds]
    await db
      .deleteFrom('profile_merges')
      .where((eb) => eb.or([eb('from_profile_id', 'in', ids), eb('into_profile_id', 'in', ids)]))
      .execute()
    await db.deleteFrom('identity_refusals').where('profile_id', 'in', ids).execute()
  }
  if (identifierValues.length > 0)
    await db
      .deleteFrom('identity_refusals')
      .where('workspace_id', '=', workspaceId)
      .where('identifier_value', 'in', [...identifierValues])
      .execute()
}
