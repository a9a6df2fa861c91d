import { sql, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import type { ProfileErasure, ProfilesMerge } from '../../platform/modules/module-manifest.js'
import { forgetConsents, mergeConsents } from './consent-repository.js'

/** An erased customer's consent, messages (addresses, rendered content, provider answers) and holdout rows go with them. */
export async function messagingOnErasure(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void> {
  const ids = [...erasure.profileIds]
  await forgetConsents(tx, erasure.workspaceId, ids)
  await sql`DELETE FROM messages WHERE workspace_id = ${erasure.workspaceId} AND profile_id = ANY(${ids}::uuid[])`.execute(tx)
  await sql`DELETE FROM broadcast_holdouts h USING broadcast_runs r WHERE h.run_id = r.id AND r.workspace_id = ${erasure.workspaceId} AND h.profile_id = ANY(${ids}::uuid[])`.execute(
    tx,
  )
}

/** Merged profiles' consent (the latest per group) and messages move to the survivor, so caps count them together. */
export async function messagingOnMerge(tx: Transaction<DB>, merge: ProfilesMerge): Promise<void> {
  const ids = [...merge.mergedIds]
  await mergeConsents(tx, merge.workspaceId, merge.survivorId, ids)
  await sql`UPDATE messages SET profile_id = ${merge.survivorId} WHERE workspace_id = ${merge.workspaceId} AND profile_id = ANY(${ids}::uuid[])`.execute(
    tx,
  )
}
