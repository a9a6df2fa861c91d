import { fail, identifierKey, mergeTraits, ok, ruleOf, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { loadIdentityPolicy } from './identifier-types-repository.js'
import { identifiersOfProfiles } from './identifier-repository.js'
import { writeMerges } from './merge-statements.js'
import { profileRecords, saveMergedProfile } from './profile-repository.js'

/** Why the union of two profiles' identifiers breaks a limit of the workspace's policy (e.g. two user ids), or undefined. */
async function identifierLimitBroken(db: Executor, workspaceId: string, profileIds: string[]) {
  const identifiers = await identifiersOfProfiles(db, profileIds)
  const policy = await loadIdentityPolicy(db, workspaceId)
  const byType = new Map<string, Set<string>>()
  for (const i of identifiers) byType.set(i.type, (byType.get(i.type) ?? new Set()).add(identifierKey(i)))
  for (const [type, values] of byType) {
    const max = ruleOf(policy, type).maxPerProfile
    if (values.size > max)
      return fail('MERGE_REFUSED', `Together the profiles have ${values.size} ${type} identifiers; the workspace allows ${max}.`, {
        type,
        count: values.size,
        max,
      })
  }
  return undefined
}

/**
 * Merges one profile into another by hand: identifiers move, traits merge by rule, the merged
 * profile points to the survivor and its events join the survivor's timeline. Refused when the
 * union would break an identifier limit (e.g. two user ids). Returns the survivor's id.
 */
export async function mergeProfilesByHand(
  ctx: AppContext,
  scope: WorkspaceScope,
  fromId: string,
  intoId: string,
): Promise<Result<{ survivor: string }>> {
  return transact(ctx.db, async (tx) => {
    const rows = await profileRecords(tx, scope.workspaceId, [fromId, intoId], { forUpdate: true })
    const from = rows.find((r) => r.id === fromId)
    const into = rows.find((r) => r.id === intoId)
    if (!from || !into || from.mergedInto || into.mergedInto || fromId === intoId)
      return fail('PROFILE_NOT_FOUND', 'Both profiles must exist, differ, and not be merged already.')
    const refused = await identifierLimitBroken(tx, scope.workspaceId, [fromId, intoId])
    if (refused) return refused
    const now = ctx.clock.now()
    const traits = mergeTraits({ traits: into.traits, times: into.traitTimes }, { traits: from.traits, times: from.traitTimes })
    await writeMerges(tx, scope.workspaceId, [{ from: fromId, into: intoId, messageId: null }], scope.actor.label, now)
    const merged = { traits: traits.traits, traitTimes: traits.times, firstSeenAt: from.firstSeenAt, lastSeenAt: from.lastSeenAt }
    await saveMergedProfile(tx, intoId, merged, now)
    await ctx.hooks.profilesMerged(tx, { ctx, workspaceId: scope.workspaceId, survivorId: intoId, mergedIds: [fromId], by: 'hand' })
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'profile.merge',
      entityType: 'profile',
      entityId: intoId,
      before: { fromProfileId: fromId },
      after: { intoProfileId: intoId },
      requestId: scope.requestId,
      at: now,
    })
    return ok({ survivor: intoId })
  })
}
