import { BLOCKED_BY_HAND, fail, ok, type Channel, type MessagingSettings, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { blockAddress, messagingSettings, saveMessagingSettings, unblockAddress } from './consent-repository.js'

/** The workspace's sending rules (quiet hours, caps), changed by an operator and audited in the same transaction. */
export async function changeMessagingSettings(
  ctx: AppContext,
  scope: WorkspaceScope,
  settings: MessagingSettings,
): Promise<MessagingSettings> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now()
    const before = await messagingSettings(tx, scope.workspaceId)
    await saveMessagingSettings(tx, scope.workspaceId, settings, now)
    const after = await messagingSettings(tx, scope.workspaceId)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'messaging_settings.update',
      entityType: 'messaging_settings',
      entityId: scope.workspaceId,
      before,
      after,
      requestId: scope.requestId,
      at: now,
    })
    return after
  })
}

export interface BlockedAddressInput {
  channel: Channel
  address: string
  reason?: string | undefined
}

/** Puts an address on the blocklist (already there: kept as it was), audited in the same transaction. */
export async function addToBlocklist(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: BlockedAddressInput,
): Promise<{ channel: Channel; address: string; reason: string; createdAt: string }> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now()
    const reason = input.reason ?? BLOCKED_BY_HAND
    await blockAddress(tx, scope.workspaceId, input.channel, input.address, reason, now)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'blocklist.add',
      entityType: 'blocked_address',
      entityId: `${input.channel}:${input.address}`,
      after: { channel: input.channel, address: input.address, reason },
      requestId: scope.requestId,
      at: now,
    })
    return { channel: input.channel, address: input.address, reason, createdAt: now.toISOString() }
  })
}

/** Takes an address off the blocklist, audited; refused, naming the field, when it is not on it. */
export async function removeFromBlocklist(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: Omit<BlockedAddressInput, 'reason'>,
): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    if (!(await unblockAddress(tx, scope.workspaceId, input.channel, input.address)))
      return fail('VALIDATION_FAILED', 'That address is not on the blocklist.', { field: 'body.address' })
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'blocklist.remove',
      entityType: 'blocked_address',
      entityId: `${input.channel}:${input.address}`,
      before: { channel: input.channel, address: input.address },
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}
