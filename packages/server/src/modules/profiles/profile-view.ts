import { roleCan, type Profile } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { identifiersOfProfiles, type ProfileRecord } from '../identity/index.js'
import { isPii, maskTraits, maskValue } from './pii-mask.js'

/** Profiles as the caller may see them: phones and emails masked without the pii.read permission. */
export async function toProfiles(ctx: AppContext, scope: WorkspaceScope, records: readonly ProfileRecord[]): Promise<Profile[]> {
  if (records.length === 0) return []
  const identifiers = await identifiersOfProfiles(
    ctx.db,
    records.map((r) => r.id),
  )
  const pii = roleCan(scope.role, 'pii.read')
  return records.map((r) => ({
    id: r.id,
    traits: pii ? r.traits : maskTraits(r.traits),
    identifiers: identifiers
      .filter((i) => i.profileId === r.id)
      .map((i) => ({
        type: i.type,
        value: !pii && isPii(i.type) ? maskValue(i.type, i.value) : i.value,
        firstSeenAt: i.firstSeenAt.toISOString(),
      })),
    firstSeenAt: r.firstSeenAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
  }))
}
