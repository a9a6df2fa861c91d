import { sql } from 'kysely'
import type { Channel, MessageCategory, MessageStatus } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { messagingDb } from './messaging-schema.js'

/** A message row as the pipeline reads it. */
export interface MessageRecord {
  id: string
  workspaceId: string
  profileId: string | null
  channel: Channel
  category: MessageCategory
  templateId: string | null
  providerAccountId: string | null
  runId: string | null
  idempotencyKey: string
  test: boolean
  address: string | null
  variables: { event?: Record<string, unknown>; coupon?: Record<string, unknown>; origin?: Record<string, string>; useDraft?: boolean }
  content: unknown
  status: MessageStatus
  reason: string | null
  providerMessageId: string | null
  attempts: number
  notBefore: Date
  queuedAt: Date
  sendingAt: Date | null
}

export interface NewMessage {
  id: string
  workspaceId: string
  profileId: string | null
  channel: Channel
  category: MessageCategory
  templateId: string
  runId: string | null
  idempotencyKey: string
  test: boolean
  address: string | null
  variables: MessageRecord['variables']
  notBefore: Date
}

/** Inserts messages; one whose idempotency key the workspace already has is not added. Returns the ids added. */
export async function insertMessages(db: Executor, messages: readonly NewMessage[], now: Date): Promise<Set<string>> {
  if (messages.length === 0) return new Set()
  const rows = await messagingDb(db)
    .insertInto('messages')
    .values(
      messages.map((m) => ({
        id: m.id,
        workspace_id: m.workspaceId,
        profile_id: m.profileId,
        channel: m.channel,
        category: m.category,
        template_id: m.templateId,
        provider_account_id: null,
        run_id: m.runId,
        idempotency_key: m.idempotencyKey,
        test: m.test,
        address: m.address,
        variables: JSON.stringify(m.variables),
        content: null,
        status: 'queued',
        not_before: m.notBefore,
        queued_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'idempotency_key']).doNothing())
    .returning('id')
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** The ids of messages by idempotency key (for a caller told its key was already used). */
export async function messageIdsByKeys(db: Executor, workspaceId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const rows = await messagingDb(db)
    .selectFrom('messages')
    .select(['id', 'idempotency_key'])
    .where('workspace_id', '=', workspaceId)
    .where('idempotency_key', '=', sql<string>`ANY(${[...keys]}::text[])`)
    .execute()
  return new Map(rows.map((r) => [r.idempotency_key, r.id]))
}

type Row = {
  id: string
  workspace_id: string
  profile_id: string | null
  channel: string
  category: string
  template_id: string | null
  provider_account_id: string | null
  run_id: string | null
  idempotency_key: string
  test: boolean
  address: string | null
  variables: unknown
  content: unknown
  status: string
  reason: string | null
  provider_message_id: string | null
  attempts: number
  not_before: Date
  queued_at: Date
  sending_at: Date | null
}

const toRecord = (r: Row): MessageRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  profileId: r.profile_id,
  channel: r.channel as Channel,
  category: r.category as MessageCategory,
  templateId: r.template_id,
  providerAccountId: r.provider_account_id,
  runId: r.run_id,
  idempotencyKey: r.idempotency_key,
  test: r.test,
  address: r.address,
  variables: (r.variables ?? {}) as MessageRecord['variables'],
  content: r.content,
  status: r.status as MessageStatus,
  reason: r.reason,
  providerMessageId: r.provider_message_id,
  attempts: r.attempts,
  notBefore: r.not_before,
  queuedAt: r.queued_at,
  sendingAt: r.sending_at,
})

const COLUMNS = [
  'id',
  'workspace_id',
  'profile_id',
  'channel',
  'category',
  'template_id',
  'provider_account_id',
  'run_id',
  'idempotency_key',
  'test',
  'address',
  'variables',
  'content',
  'status',
  'reason',
  'provider_message_id',
  'attempts',
  'not_before',
  'queued_at',
  'sending_at',
] as const

/** The messages still to send (queued, or left sending by a crash), locked for this transaction, in id order. */
export async function lockUnsent(tx: Executor, ids: readonly string[]): Promise<MessageRecord[]> {
  if (ids.length === 0) return []
  const rows = await messagingDb(tx)
    .selectFrom('messages')
    .select(COLUMNS)
    .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
    .where('status', 'in', ['queued', 'sending'])
    .orderBy('id')
    .forUpdate()
    .execute()
  return rows.map(toRecord)
}

export async function messageRecord(db: Executor, workspaceId: string, id: string): Promise<MessageRecord | undefined> {
  const row = await messagingDb(db)
    .selectFrom('messages')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toRecord(row)
}

/**
 * Takes transaction-scoped locks on the profiles, in one order (so two workers cannot deadlock),
 * then reads their marketing sends since `since` — in flight or done — for the caps. A second
 * worker sending to the same profile waits here until the first has committed its `sending`
 * rows, and then counts them.
 */
export async function lockProfilesAndReadSends(
  tx: Executor,
  profileIds: readonly string[],
  since: Date,
): Promise<Map<string, Array<{ channel: string; at: Date }>>> {
  const sorted = [...new Set(profileIds)].sort()
  const out = new Map<string, Array<{ channel: string; at: Date }>>()
  if (sorted.length === 0) return out
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('messaging.caps:' || p, 0)) FROM unnest(${sorted}::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n`.execute(
    tx,
  )
  const rows = await messagingDb(tx)
    .selectFrom('messages')
    .select(['profile_id', 'channel', 'sending_at'])
    .where('profile_id', '=', sql<string>`ANY(${sorted}::uuid[])`)
    .where('category', '=', 'marketing')
    .where('sending_at', 'is not', null)
    .where('sending_at', '>=', since)
    .where('status', 'in', ['sending', 'sent', 'delivered', 'bounced'])
    .execute()
  for (const r of rows) {
    if (!r.profile_id || !r.sending_at) continue
    const list = out.get(r.profile_id) ?? []
    list.push({ channel: r.channel, at: r.sending_at })
    out.set(r.profile_id, list)
  }
  return out
}

/** Messages the rules allowed: `sending` now, with their address, account and rendered content. */
export async function markSending(
  tx: Executor,
  rows: ReadonlyArray<{ id: string; address: string; accountId: string; content: unknown }>,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    UPDATE messages m SET status = 'sending', sending_at = ${now}, attempts = m.attempts + 1, address = u.address,
      provider_account_id = u.account_id, content = u.content, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.accountId)}::uuid[],
                ${rows.map((r) => JSON.stringify(r.content))}::jsonb[]) AS u(id, address, account_id, content)
    WHERE m.id = u.id`.execute(tx)
}

/** A message left `sending` by a crash, sent again under its idempotency key: one more attempt. */
export async function markResending(tx: Executor, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return
  await sql`UPDATE messages SET attempts = attempts + 1, sending_at = ${now}, updated_at = ${now} WHERE id = ANY(${[...ids]}::uuid[])`.execute(
    tx,
  )
}

/** Messages the rules stopped, each with why. */
export async function markSuppressed(tx: Executor, rows: ReadonlyArray<{ id: string; reason: string }>, now: Date): Promise<void> {
  if (rows.length === 0) return
  await sql`
    UPDATE messages m SET status = 'suppressed', reason = u.reason, suppressed_at = ${now}, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.reason)}::text[]) AS u(id, reason)
    WHERE m.id = u.id`.execute(tx)
}

/** Messages to try again later (quiet hours, a rate limit, a transient error): queued until `not_before`. */
export async function markDeferred(
  tx: Executor,
  rows: ReadonlyArray<{ id: string; notBefore: Date; reason: string | null }>,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    UPDATE messages m SET status = 'queued', not_before = u.not_before, reason = u.reason, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.notBefore)}::timestamptz[], ${rows.map((r) => r.reason)}::text[])
      AS u(id, not_before, reason)
    WHERE m.id = u.id`.execute(tx)
}

/** Sent messages, with the provider's id and answer. */
export async function markSent(
  tx: Executor,
  rows: ReadonlyArray<{ id: string; providerMessageId: string | null; response: unknown }>,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    UPDATE messages m SET status = 'sent', sent_at = ${now}, reason = NULL, provider_message_id = u.provider_message_id,
      provider_response = u.response, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.providerMessageId)}::text[],
                ${rows.map((r) => JSON.stringify(r.response ?? null))}::jsonb[]) AS u(id, provider_message_id, response)
    WHERE m.id = u.id AND m.status = 'sending'`.execute(tx)
}

/** Failed messages, with the reason (the provider's code, or ours). */
export async function markFailed(
  tx: Executor,
  rows: ReadonlyArray<{ id: string; reason: string; response: unknown }>,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    UPDATE messages m SET status = 'failed', failed_at = ${now}, reason = u.reason, provider_response = u.response, updated_at = ${now}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => JSON.stringify(r.response ?? null))}::jsonb[])
      AS u(id, reason, response)
    WHERE m.id = u.id`.execute(tx)
}

/** One row per provider call: what was tried and what came back. */
export async function insertAttempts(
  tx: Executor,
  rows: ReadonlyArray<{
    messageId: string
    attempt: number
    outcome: string
    code: string | null
    detail: string | null
    response: unknown
  }>,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await messagingDb(tx)
    .insertInto('message_attempts')
    .values(
      rows.map((r) => ({
        message_id: r.messageId,
        attempt: r.attempt,
        at: now,
        outcome: r.outcome,
        code: r.code,
        detail: r.detail?.slice(0, 2000) ?? null,
        response: JSON.stringify(r.response ?? null),
      })),
    )
    .execute()
}

/** Messages by the provider's id for them (receipts name messages that way). */
export async function messagesByProviderIds(
  db: Executor,
  accountId: string,
  providerMessageIds: readonly string[],
): Promise<MessageRecord[]> {
  if (providerMessageIds.length === 0) return []
  const rows = await messagingDb(db)
    .selectFrom('messages')
    .select(COLUMNS)
    .where('provider_account_id', '=', accountId)
    .where('provider_message_id', '=', sql<string>`ANY(${[...providerMessageIds]}::text[])`)
    .execute()
  return rows.map(toRecord)
}

/** A receipt's verdict: delivered, or failed / bounced after the provider took it. Only moves a message forward. */
export async function markReceipt(
  tx: Executor,
  id: string,
  status: 'delivered' | 'failed' | 'bounced',
  reason: string | null,
  at: Date,
  now: Date,
): Promise<boolean> {
  const column = status === 'delivered' ? sql`delivered_at` : sql`failed_at`
  const result = await sql`
    UPDATE messages SET status = ${status}, ${column} = ${at}, reason = COALESCE(${reason}, reason), updated_at = ${now}
    WHERE id = ${id} AND status IN ('sending', 'sent')`.execute(tx)
  return Number(result.numAffectedRows ?? 0) > 0
}

/** The first open or click of a message (later ones are events only). Returns whether the message exists. */
export async function markEngagement(
  db: Executor,
  id: string,
  kind: 'opened' | 'clicked',
  at: Date,
): Promise<
  { workspaceId: string; profileId: string | null; channel: string; templateId: string | null; runId: string | null } | undefined
> {
  const column = kind === 'opened' ? sql`opened_at` : sql`clicked_at`
  const { rows } = await sql<{
    workspace_id: string
    profile_id: string | null
    channel: string
    template_id: string | null
    run_id: string | null
  }>`
    UPDATE messages SET ${column} = COALESCE(${column}, ${at}) WHERE id = ${id}
    RETURNING workspace_id, profile_id, channel, template_id, run_id`.execute(db)
  const r = rows[0]
  return r && { workspaceId: r.workspace_id, profileId: r.profile_id, channel: r.channel, templateId: r.template_id, runId: r.run_id }
}
