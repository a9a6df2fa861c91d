import { referencedComputedProperties, referencedSubscriptionGroups } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { allAudienceKinds, type EvaluableAudience } from './audience-kinds.js'

/**
 * Dynamic segments and rule tags computed once (the rest wait for their full computation), of a
 * workspace or of all: segments first, each kind by id.
 */
export async function liveAudiences(db: Executor, filter: { workspaceId?: string } = {}): Promise<EvaluableAudience[]> {
  return (await Promise.all(allAudienceKinds().map((k) => k.live(db, filter)))).flat()
}

/** The live segments and rule tags that use one of these computed properties. */
export async function audiencesUsing(db: Executor, workspaceId: string, propertyIds: readonly string[]): Promise<EvaluableAudience[]> {
  if (propertyIds.length === 0) return []
  return (await liveAudiences(db, { workspaceId })).filter((a) =>
    referencedComputedProperties(a.definition).some((id) => propertyIds.includes(id)),
  )
}

/** The live segments and rule tags that read consent in one of these subscription groups (by key). */
export async function audiencesReadingConsent(db: Executor, workspaceId: string, groups: readonly string[]): Promise<EvaluableAudience[]> {
  if (groups.length === 0) return []
  return (await liveAudiences(db, { workspaceId })).filter((a) =>
    referencedSubscriptionGroups(a.definition).some((g) => groups.includes(g)),
  )
}
