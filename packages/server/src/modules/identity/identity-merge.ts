import {
  DEFAULT_IDENTITY_POLICY,
  fail,
  identifierKey,
  mergeTraits,
  ok,
  ruleOf,
  type IdentifierTypeChange,
  type IdentifierTypeRule,
  type Result,
} from '@reachloop/domain'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { loadIdentityPolicy } from './identity-policy.js'
import { writeMerges } from './identity-writer.js'

export async function listIdentifierTypes(ctx: AppContext, workspaceId: string): Promise<IdentifierTypeRule[]> {
  const policy = await loadIdentityPolicy(ctx.db, workspaceId)
  return Object.entries(policy)
    .map(([type, rule]) => ({
      type,
      priority: rule.priority,
      maxPerProfile: rule.maxPerProfile,
      blockedValues: [...(rule.blockedValues ?? [])],
      standard: type in DEFAULT_IDENTITY_POLICY,
    }))
    .sort((a, b) => b.priority - a.priority || a.type.localeCompare(b.type))
}

/** Sets a type's rule (a new name adds a custom type), audited with the rule before and after. */
export async function setIdentifierType(
  ctx: AppContext,
  scope: WorkspaceScope,
  type: string,
  change: IdentifierTypeChange,
): Promise<Result<IdentifierTypeRule>> {
  const result = await transact(ctx.db, async (tx) => {
    const before = ruleOf(await loadIdentityPolicy(tx, scope.workspaceId), type)
    const blocked = change.blockedValues ?? [...(before.blockedValues ?? [])]
    await tx
      .insertInto('identifier_types')
      .values({
        workspace_id: scope.workspaceId,
        type,
        priority: change.priority,
        max_per_profile: change.maxPerProfile,
        blocked_values: blocked,
      })
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'type'])
          .doUpdateSet({ priority: change.priority, max_per_profile: change.maxPerProfile, blocked_values: blocked }),
      )
      .execute()
    const after: IdentifierTypeRule = {
      type,
      priority: change.priority,
      maxPerProfile: change.maxPerProfile,
      blockedValues: blocked,
      standard: type in DEFAULT_IDENTITY_POLICY,
    }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'identity.set_type',
      entityType: 'identifier_type',
      entityId: type,
      before,
      after,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(after)
  })
  ctx.caches.policies.clear((workspaceId) => workspaceId === scope.workspaceId)
  return result
}

/**
 * Merges one profile into another by hand: identifiers move, traits merge by rule, the merged
 * profile points to the survivor and its events join the survivor's timeline. Refused when the
 * union would break an identifier limit (e.g. two user ids).
 */
export async function mergeProfilesByHand(
  ctx: AppContext,
  scope: WorkspaceScope,
  fromId: string,
  intoId: string,
): Promise<Result<{ survivor: string }>> {
  return transact(ctx.db, async (tx) => {
    const rows = await tx
      .selectFrom('profiles')
      .select(['id', 'merged_into', 'traits', 'trait_times', 'first_seen_at', 'last_seen_at'])
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', 'in', [fromId, intoId])
      .forUpdate()
      .execute()
    const from = rows.find((r) => r.id === fromId)
    const into = rows.find((r) => r.id === intoId)
    if (!from || !into || from.merged_into || into.merged_into || fromId === intoId)
      return fail('PROFILE_NOT_FOUND', 'Both profiles must exist, differ, and not be merged already.')
    const identifiers = await tx
      .selectFrom('profile_identifiers')
      .select(['type', 'value', 'profile_id'])
      .where('profile_id', 'in', [fromId, intoId])
      .execute()
    const policy = await loadIdentityPolicy(tx, scope.workspaceId)
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
    const now = ctx.clock.now()
    const traits = mergeTraits(
      { traits: into.traits as Record<string, unknown>, times: into.trait_times as Record<string, number> },
      { traits: from.traits as Record<string, unknown>, times: from.trait_times as Record<string, number> },
    )
    await writeMerges(tx, scope.workspaceId, [{ from: fromId, into: intoId, messageId: null }], scope.actor.label, now)
    await sql`UPDATE profiles SET traits = ${JSON.stringify(traits.traits)}::jsonb, trait_times = ${JSON.stringify(traits.times)}::jsonb,
      first_seen_at = LEAST(first_seen_at, ${from.first_seen_at}), last_seen_at = GREATEST(last_seen_at, ${from.last_seen_at}), updated_at = ${now} WHERE id = ${intoId}`.execute(
      tx,
    )
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
