import { fail, ok, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { eraseEvents } from '../../platform/event-log/append.js'
import type { ProfileErasure } from '../../platform/modules/module-manifest.js'
import { customerOf } from '../identity/index.js'

/**
 * Erases a customer on request (PIPL / GDPR): the profile and every profile merged into it. Their
 * events (and de-duplication entries) leave the log, then every module deletes what it keeps about
 * them (`onProfileErased`, dependents first: audiences, then ingest — which puts their identifiers
 * on the suppression list, as hashes, so nothing about them is ingested again, and drops the
 * quarantined payloads naming them — then identity). The audit entry records that an erasure
 * happened, without personal data.
 */
export async function eraseProfile(
  ctx: AppContext,
  scope: WorkspaceScope,
  profileId: string,
): Promise<Result<{ erasedProfiles: number; erasedEvents: number; suppressedIdentifiers: number }>> {
  const afterCommit: Array<() => void> = []
  const result = await transact(ctx.db, async (tx) => {
    const customer = await customerOf(tx, scope.workspaceId, profileId)
    if (!customer) return fail('PROFILE_NOT_FOUND')
    const { profileIds, identifiers } = customer
    const erasedEvents = await eraseEvents(tx, scope.workspaceId, profileIds)
    const erasure: ProfileErasure = {
      ctx,
      workspaceId: scope.workspaceId,
      profileIds,
      identifiers,
      afterCommit: (run) => afterCommit.push(run),
    }
    await ctx.hooks.profileErased(tx, erasure)
    const outcome = { erasedProfiles: profileIds.length, erasedEvents, suppressedIdentifiers: identifiers.length }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'profile.erase',
      entityType: 'profile',
      entityId: customer.survivorId,
      after: outcome,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(outcome)
  })
  // After the commit, so no request can cache what the erasure removed (e.g. "nothing suppressed") from before it.
  if (result.ok) for (const run of afterCommit) run()
  return result
}
