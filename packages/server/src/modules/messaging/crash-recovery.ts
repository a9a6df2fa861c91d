import { MESSAGE_EVENTS } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { appendEvents } from './message-events.js'
import { insertAttempts, markFailed, markResending, markSent, type MessageRecord } from './messages-repository.js'
import { providerAccount } from './provider-accounts-repository.js'
import { providerDeps, type ReadySend } from './provider-deps.js'
import type { OutgoingMessage, RenderedMessage } from './providers/provider-adapter.js'
import { adapterOf } from './providers/registry.js'

/** What to do with a message found `sending` (its worker stopped between the provider call and recording it). */
type Recovery =
  { decision: 'resend'; ready: ReadySend } | { decision: 'sent'; providerMessageId: string | null } | { decision: 'fail'; detail: string }

async function recoveryOf(ctx: AppContext, tx: Executor, m: MessageRecord): Promise<Recovery> {
  const account = m.providerAccountId ? await providerAccount(ctx, tx, m.workspaceId, m.providerAccountId) : undefined
  const adapter = account && adapterOf(account.kind)
  if (!account || !adapter || !m.address || !m.content)
    return { decision: 'fail', detail: 'the worker stopped during the provider call and the account is gone; not sent again' }
  const outgoing: OutgoingMessage = {
    messageId: m.id,
    idempotencyKey: m.idempotencyKey,
    to: m.address,
    content: m.content as RenderedMessage,
  }
  const ready = { message: m, account, outgoing, attempt: m.attempts + 1 }
  // The provider drops a repeat of the key: sending again cannot deliver twice.
  if (adapter.acceptsIdempotencyKey) return { decision: 'resend', ready }
  if (!adapter.reconcile) {
    return {
      decision: 'fail',
      detail: `the worker stopped during the call to ${account.kind}, which takes no idempotency key and cannot be asked; not sent again to avoid a duplicate`,
    }
  }
  const found = await adapter.reconcile(
    { id: account.id, config: account.config },
    outgoing,
    m.sendingAt ?? m.queuedAt,
    providerDeps(ctx, account.id),
  )
  switch (found.found) {
    case 'sent':
      return { decision: 'sent', providerMessageId: found.providerMessageId }
    case 'not_sent':
      return { decision: 'resend', ready }
    case 'unknown':
      return { decision: 'fail', detail: found.reason }
  }
}

/**
 * Rows left `sending` by a crash. Where the provider drops a repeat of the idempotency key, the
 * message is sent again under the same key; where the provider can be asked, it is reconciled;
 * otherwise it fails with the reason `outcome_unknown` rather than risk a second copy in the
 * customer's hands. A message already `sent` never comes here (only queued and sending rows are claimed).
 */
export async function recoverSending(ctx: AppContext, tx: Executor, rows: readonly MessageRecord[]): Promise<ReadySend[]> {
  if (rows.length === 0) return []
  const now = ctx.clock.now()
  const resend: ReadySend[] = []
  const sent: Array<{ message: MessageRecord; providerMessageId: string | null }> = []
  const failed: Array<{ message: MessageRecord; detail: string }> = []
  for (const m of rows) {
    const r = await recoveryOf(ctx, tx, m)
    if (r.decision === 'resend') resend.push(r.ready)
    else if (r.decision === 'sent') sent.push({ message: m, providerMessageId: r.providerMessageId })
    else failed.push({ message: m, detail: r.detail })
  }
  await markResending(
    tx,
    resend.map((r) => r.message.id),
    now,
  )
  await markSent(
    tx,
    sent.map((s) => ({ id: s.message.id, providerMessageId: s.providerMessageId, response: { reconciled: true } })),
    now,
  )
  await markFailed(
    tx,
    failed.map((f) => ({ id: f.message.id, reason: 'outcome_unknown', response: { detail: f.detail } })),
    now,
  )
  await insertAttempts(
    tx,
    [
      ...sent.map((s) => ({
        messageId: s.message.id,
        attempt: s.message.attempts,
        outcome: 'reconciled_sent',
        code: null,
        detail: null,
        response: null,
      })),
      ...failed.map((f) => ({
        messageId: f.message.id,
        attempt: f.message.attempts,
        outcome: 'outcome_unknown',
        code: null,
        detail: f.detail,
        response: null,
      })),
    ],
    now,
  )
  await appendEvents(ctx, tx, rows[0]?.workspaceId ?? '', [
    ...sent.map((s) => ({ message: s.message, name: MESSAGE_EVENTS.sent, extra: {} })),
    ...failed.map((f) => ({ message: f.message, name: MESSAGE_EVENTS.failed, extra: { reason: 'outcome_unknown' } })),
  ])
  return resend
}
