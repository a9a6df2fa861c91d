import { MESSAGE_EVENTS } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { backoffMs } from '../../platform/jobs/job-queue.js'
import { queueFallbacks } from './channel-fallback.js'
import { finishedRuns } from './broadcasts-repository.js'
import { completeRuns } from './broadcasts-service.js'
import { claimBatch } from './claim-batch.js'
import { appendEvents } from './message-events.js'
import { enqueueSends } from './message-queue.js'
import { insertAttempts, markDeferred, markFailed, markSent } from './messages-repository.js'
import { providerDeps, type ReadySend } from './provider-deps.js'
import type { SendOutcome } from './providers/provider-adapter.js'
import { adapterOf } from './providers/registry.js'
import { templatesByIds } from './templates-repository.js'

/** A message's attempts before it fails for good (transient errors back off in between). */
export const MAX_SEND_ATTEMPTS = 5
/** Provider calls in flight per batch. */
const IN_FLIGHT = 32

/**
 * Sends a batch of messages (the `messaging.send` job). Three steps:
 * 1. claim (one transaction, claim-batch.ts): the rules, rate slots, rendering; cleared rows
 *    committed as `sending`;
 * 2. the provider calls, outside any transaction, at most IN_FLIGHT at a time;
 * 3. record (one transaction): sent, retried later with backoff, or failed with the provider's reason.
 * A crash between 2 and 3 leaves rows `sending`: the job runs again after its lease and
 * crash-recovery.ts decides, without ever sending blindly a second time.
 */
export async function deliverMessages(ctx: AppContext, messageIds: readonly string[], signal?: AbortSignal): Promise<void> {
  const { ready, runIds } = await ctx.db.transaction().execute((tx) => claimBatch(ctx, tx, messageIds))
  // A broadcast run is complete the moment its last message settles.
  if (ready.length === 0) return completeRuns(ctx, await finishedRuns(ctx.db, runIds))
  const outcomes = new Map<string, SendOutcome>()
  let next = 0
  const worker = async () => {
    for (let r = ready[next++]; r; r = ready[next++]) outcomes.set(r.message.id, await callProvider(ctx, r, signal))
  }
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, ready.length) }, worker))
  await ctx.db.transaction().execute((tx) => record(ctx, tx, ready, outcomes))
  await completeRuns(ctx, await finishedRuns(ctx.db, runIds))
}

async function callProvider(ctx: AppContext, r: ReadySend, signal?: AbortSignal): Promise<SendOutcome> {
  const adapter = adapterOf(r.account.kind)
  if (!adapter) return { status: 'permanent', code: 'NO_ADAPTER', message: `no adapter for ${r.account.kind}` }
  try {
    return await adapter.send({ id: r.account.id, config: r.account.config }, r.outgoing, providerDeps(ctx, r.account.id, signal))
  } catch (error) {
    // An adapter that throws hit something unexpected on the way (DNS, TLS, a bug): retry, keeping what it said.
    return { status: 'retryable', code: 'ADAPTER_ERROR', message: (error as Error).message }
  }
}

async function record(
  ctx: AppContext,
  tx: Executor,
  ready: readonly ReadySend[],
  outcomes: ReadonlyMap<string, SendOutcome>,
): Promise<void> {
  const now = ctx.clock.now()
  const workspaceId = ready[0]?.message.workspaceId ?? ''
  const sent: Array<{ id: string; providerMessageId: string | null; response: unknown }> = []
  const failed: Array<{ id: string; reason: string; response: unknown }> = []
  const retry: Array<{ id: string; notBefore: Date; reason: string | null }> = []
  const attempts: Parameters<typeof insertAttempts>[1][number][] = []
  for (const r of ready) {
    const outcome = outcomes.get(r.message.id) ?? { status: 'retryable', code: 'NO_OUTCOME', message: 'no outcome recorded' }
    const id = r.message.id
    if (outcome.status === 'sent') {
      sent.push({ id, providerMessageId: outcome.providerMessageId, response: outcome.response })
      attempts.push({ messageId: id, attempt: r.attempt, outcome: 'sent', code: null, detail: null, response: outcome.response })
      continue
    }
    attempts.push({
      messageId: id,
      attempt: r.attempt,
      outcome: outcome.status,
      code: outcome.code,
      detail: outcome.message,
      response: outcome.response,
    })
    if (outcome.status === 'permanent' || r.attempt >= MAX_SEND_ATTEMPTS)
      failed.push({ id, reason: outcome.code, response: outcome.response ?? { message: outcome.message } })
    else
      retry.push({
        id,
        notBefore: new Date(now.getTime() + Math.max(outcome.retryAfterMs ?? 0, backoffMs(r.attempt))),
        reason: outcome.code,
      })
  }
  await insertAttempts(tx, attempts, now)
  await markSent(tx, sent, now)
  await markFailed(tx, failed, now)
  await markDeferred(tx, retry, now)
  await enqueueSends(
    ctx,
    tx,
    workspaceId,
    retry.map((r) => ({ id: r.id, notBefore: r.notBefore })),
  )
  const byId = new Map(ready.map((r) => [r.message.id, r.message]))
  await appendEvents(ctx, tx, workspaceId, [
    ...sent.map((s) => ({ message: byId.get(s.id), name: MESSAGE_EVENTS.sent, extra: {} })),
    ...failed.map((f) => ({ message: byId.get(f.id), name: MESSAGE_EVENTS.failed, extra: { reason: f.reason } })),
  ])
  const permanent = failed.filter((f) => outcomes.get(f.id)?.status === 'permanent').map((f) => f.id)
  if (permanent.length === 0) return
  const templates = await templatesByIds(tx, workspaceId, [
    ...new Set(ready.map((r) => r.message.templateId).filter((id): id is string => id !== null)),
  ])
  await queueFallbacks(
    ctx,
    tx,
    workspaceId,
    templates,
    permanent,
    ready.map((r) => r.message),
  )
}
