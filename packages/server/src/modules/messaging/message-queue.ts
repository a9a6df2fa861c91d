import { randomUUID } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { Channel, MessageCategory } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { insertMessages, messageIdsByKeys, type MessageRecord } from './messages-repository.js'

/** Sends a batch of messages (one job per triggered send; a broadcast's in chunks). */
export const SEND_QUEUE = defineQueue(
  'messaging.send',
  Type.Object({ messageIds: Type.Array(Type.String({ minLength: 36, maxLength: 36 }), { minItems: 1, maxItems: 1000 }) }),
)

/** How many messages one send job carries. */
export const SEND_BATCH = 200

/** A send to queue: a template to a profile, with what the template may read beside the profile. */
export interface MessageRequest {
  profileId: string | null
  templateId: string
  channel: Channel
  category: MessageCategory
  /** Stable for this send: a second request with the same key is the same message (a retry, a replay). */
  idempotencyKey: string
  /** An address to use instead of the profile's (test sends). */
  to?: string
  test?: boolean
  /** A test send of the template's draft (what the editor holds), not its published content. */
  useDraft?: boolean
  event?: Record<string, unknown>
  coupon?: Record<string, unknown>
  /** Where it came from, copied onto its events (e.g. `{ broadcast_id }`, later `{ journey_id }`). */
  origin?: Record<string, string>
  runId?: string
  notBefore?: Date
}

/**
 * Queues messages in the caller's transaction: a durable message row and its send job commit
 * with whatever caused them, or neither does. A request whose idempotency key the workspace has
 * seen returns the existing message and queues nothing.
 */
export async function queueMessages(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  requests: readonly MessageRequest[],
): Promise<Array<{ messageId: string; duplicate: boolean }>> {
  const now = ctx.clock.now()
  const prepared = requests.map((r) => ({
    id: randomUUID(),
    workspaceId,
    profileId: r.profileId,
    channel: r.channel,
    category: r.category,
    templateId: r.templateId,
    runId: r.runId ?? null,
    idempotencyKey: r.idempotencyKey,
    test: r.test ?? false,
    address: r.to ?? null,
    variables: {
      ...(r.event ? { event: r.event } : {}),
      ...(r.coupon ? { coupon: r.coupon } : {}),
      ...(r.origin ? { origin: r.origin } : {}),
      ...(r.useDraft ? { useDraft: true } : {}),
    } as MessageRecord['variables'],
    notBefore: r.notBefore ?? now,
  }))
  const added = await insertMessages(tx, prepared, now)
  const existing = await messageIdsByKeys(
    tx,
    workspaceId,
    prepared.filter((p) => !added.has(p.id)).map((p) => p.idempotencyKey),
  )
  await enqueueSends(
    ctx,
    tx,
    workspaceId,
    prepared.filter((p) => added.has(p.id)).map((p) => ({ id: p.id, notBefore: p.notBefore })),
  )
  return prepared.map((p) =>
    added.has(p.id) ? { messageId: p.id, duplicate: false } : { messageId: existing.get(p.idempotencyKey) ?? p.id, duplicate: true },
  )
}

/** Send jobs for messages, grouped by when they are due, `SEND_BATCH` to a job. */
export async function enqueueSends(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  messages: ReadonlyArray<{ id: string; notBefore: Date }>,
): Promise<void> {
  const byTime = new Map<number, string[]>()
  for (const m of messages) {
    const list = byTime.get(m.notBefore.getTime()) ?? []
    list.push(m.id)
    byTime.set(m.notBefore.getTime(), list)
  }
  const jobs = []
  for (const [at, ids] of byTime) {
    for (let i = 0; i < ids.length; i += SEND_BATCH) {
      const chunk = ids.slice(i, i + SEND_BATCH)
      // No idempotency key: a second job for the same messages is harmless (the claim takes only rows still queued and due).
      jobs.push({
        queue: SEND_QUEUE,
        payload: { messageIds: chunk },
        runAt: new Date(at),
        workspaceId,
        maxAttempts: 10,
      })
    }
  }
  await ctx.jobs.enqueue(jobs, tx)
}
