import { createHmac } from 'node:crypto'
import { fail, ok, type ImportKind, type ImportMapping, type Result, type SourceWebhook } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { randomSecret } from '../../platform/crypto/tokens.js'
import { transact } from '../../platform/db/database.js'
import { sourceRecord, updateSourceRecord, type SourceRecord } from './sources-repository.js'

export const SIGNATURE_HEADER = 'x-reachloop-signature'

/** The signature a push must carry: `sha256=` and the hex HMAC-SHA256 of the raw body under the source's secret. */
export function signWebhook(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** A source's webhook as operators see it: where to push, the secret to sign with, and how pushes map to calls. */
const view = (ctx: AppContext, source: SourceRecord): SourceWebhook | undefined =>
  source.webhook
    ? {
        url: `${ctx.config.publicUrl}/p/webhooks/${source.id}`,
        secret: ctx.secrets.decrypt(source.webhook.secretCiphertext),
        signatureHeader: SIGNATURE_HEADER,
        kind: source.webhook.kind,
        mapping: source.webhook.mapping,
      }
    : undefined

export async function getSourceWebhook(ctx: AppContext, workspaceId: string, sourceId: string): Promise<Result<SourceWebhook>> {
  const source = await sourceRecord(ctx.db, workspaceId, sourceId)
  if (!source) return fail('SOURCE_NOT_FOUND')
  const webhook = view(ctx, source)
  return webhook ? ok(webhook) : fail('WEBHOOK_NOT_SET')
}

/** Sets how pushes map to calls; the signing secret is made on first use and kept (encrypted) after. */
export async function setSourceWebhook(
  ctx: AppContext,
  scope: WorkspaceScope,
  sourceId: string,
  input: { kind: ImportKind; mapping: ImportMapping },
): Promise<Result<SourceWebhook>> {
  const m = input.mapping
  if (!m.userId && !m.anonymousId && !m.traits?.phone && !m.traits?.email)
    return fail('INVALID_MAPPING', 'map userId, anonymousId, or a phone or email trait, so pushes can be tied to customers')
  if (input.kind === 'events' && !m.event && !m.eventName)
    return fail('INVALID_MAPPING', 'an events webhook needs an event field or an eventName')
  return transact(ctx.db, async (tx) => {
    const current = await sourceRecord(tx, scope.workspaceId, sourceId)
    if (!current) return fail('SOURCE_NOT_FOUND')
    const secretCiphertext = current.webhookSecretCiphertext ?? ctx.secrets.encrypt(`whsec_${randomSecret(24)}`)
    const updated = await updateSourceRecord(tx, scope.workspaceId, sourceId, { webhook: { secretCiphertext, ...input } })
    if (!updated) return fail('SOURCE_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'source.set_webhook',
      entityType: 'source',
      entityId: sourceId,
      after: input,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(view(ctx, updated)!)
  })
}

/** The source a push names and its webhook, when it takes pushes. */
export async function webhookSource(
  ctx: AppContext,
  sourceId: string,
): Promise<{ id: string; workspaceId: string; webhook: SourceWebhook } | undefined> {
  const source = await sourceRecord(ctx.db, null, sourceId)
  const webhook = source && view(ctx, source)
  return source && webhook ? { id: source.id, workspaceId: source.workspaceId, webhook } : undefined
}
