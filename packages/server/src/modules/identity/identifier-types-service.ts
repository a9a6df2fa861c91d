import { DEFAULT_IDENTITY_POLICY, ok, ruleOf, type IdentifierTypeChange, type IdentifierTypeRule, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { loadIdentityPolicy, saveIdentifierType } from './identifier-types-repository.js'
import { forgetIdentityPolicy } from './identity-policy.js'

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
    await saveIdentifierType(tx, scope.workspaceId, {
      type,
      priority: change.priority,
      maxPerProfile: change.maxPerProfile,
      blockedValues: blocked,
    })
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
  forgetIdentityPolicy(ctx, scope.workspaceId)
  return result
}
