import { createHash, randomUUID } from 'node:crypto'
import {
  isObject,
  identifiersOf,
  parseMessage,
  storableCopy,
  storableText,
  type AcceptedMessage,
  type MessageType,
} from '@reachloop/domain'
import { sql } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import { loadIdentityPolicy } from '../identity/identity-policy.js'
import { resolveAndWrite } from '../identity/identity-writer.js'

/** A refused event of a request: its position, messageId, why, and the path of the refused value inside it. */
export interface Rejection {
  index: number
  messageId: string | null
  code: string
  reason: string
  field: string | null
}

/** What a request adds to its events: a single call's type, a batch's outer context and sentAt, the request id for the quarantine. */
export interface IngestOptions {
  type?: MessageType
  context?: Record<string, unknown>
  sentAt?: unknown
  requestId?: string
}

/** The quarantine keeps a refused event as sent, minus its write key and whatever cannot be stored. */
const WITHOUT_WRITE_KEY: ReadonlySet<string> = new Set(['writeKey'])
const quarantinedPayload = (raw: unknown, type: MessageType | undefined) =>
  JSON.stringify(storableCopy(type && isObject(raw) ? { type, ...raw } : (raw ?? null), { omit: WITHOUT_WRITE_KEY }))
const printableId = (v: unknown) => (typeof v === 'string' ? storableText(v.slice(0, 200)) : null)

/** What happened to a request's events. */
export interface IngestOutcome {
  accepted: number
  duplicates: number
  suppressed: number
  rejected: Rejection[]
}

/** SHA-256 of `type:value`, the form the suppression list keeps. */
export const suppressionHash = (type: string, value: string) => createHash('sha256').update(`${type}:${value}`).digest('hex')

/**
 * Ingests a request's events for one source in one transaction: valid events are resolved to
 * profiles and appended to the log, duplicates (same messageId from the same source) are skipped,
 * events of erased customers are dropped, and invalid events go to the quarantine with their reason.
 * Either all of that is stored or none of it.
 */
export async function ingest(
  ctx: AppContext,
  source: { id: string; workspaceId: string },
  raws: unknown[],
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  const receivedAt = ctx.clock.now()
  const valid: Array<{ index: number; message: AcceptedMessage }> = []
  const rejected: Rejection[] = []
  raws.forEach((raw, index) => {
    // A batch's outer context and sentAt apply to each event that lacks its own.
    const withBatch =
      isObject(raw) && (options.context || options.sentAt)
        ? { ...raw, context: { ...options.context, ...(isObject(raw.context) ? raw.context : {}) }, sentAt: raw.sentAt ?? options.sentAt }
        : raw
    const parsed = parseMessage(withBatch, receivedAt, options.type)
    if (parsed.ok) valid.push({ index, message: parsed.message })
    else rejected.push({ index, messageId: isObject(raw) ? printableId(raw.messageId) : null, ...parsed.problem })
  })

  const outcome = await ctx.db.transaction().execute(async (tx) => {
    if (rejected.length > 0) {
      await tx
        .insertInto('quarantine')
        .values(
          rejected.map((r) => ({
            workspace_id: source.workspaceId,
            source_id: source.id,
            code: r.code,
            reason: r.reason,
            field: r.field,
            event_index: r.index,
            request_id: options.requestId ?? null,
            payload: quarantinedPayload(raws[r.index], options.type),
            received_at: receivedAt,
            replayed_at: null,
          })),
        )
        .execute()
    }
    // De-duplicate on messageId per source: within the request, then against what was seen before.
    const seen = new Set<string>()
    const unique = valid.filter(({ message }) => {
      if (!message.messageId) return true
      if (seen.has(message.messageId)) return false
      seen.add(message.messageId)
      return true
    })
    const withIds = unique.filter((v) => v.message.messageId !== null)
    const fresh = new Set<string>()
    if (withIds.length > 0) {
      const inserted = await sql<{ message_id: string }>`
        INSERT INTO event_message_ids (source_id, message_id, received_at)
        SELECT ${source.id}, m, ${receivedAt} FROM unnest(${withIds.map((v) => v.message.messageId ?? '')}::text[]) AS m
        ON CONFLICT (source_id, message_id) DO NOTHING
        RETURNING message_id`.execute(tx)
      for (const r of inserted.rows) fresh.add(r.message_id)
    }
    const toStore = unique.filter((v) => v.message.messageId === null || fresh.has(v.message.messageId))
    const duplicates = valid.length - toStore.length

    const policy = await ctx.caches.policies.get(source.workspaceId, () => loadIdentityPolicy(tx, source.workspaceId))
    const knownTypes = new Set(Object.keys(policy))
    const prepared = toStore.map((v) => ({
      ...v,
      messageId: v.message.messageId ?? `rl-${randomUUID()}`,
      identifiers: identifiersOf(v.message, { knownTypes }),
    }))
    // Customers who were erased stay erased: nothing carrying one of their identifiers is stored.
    const hashes = [...new Set(prepared.flatMap((p) => p.identifiers.map((i) => suppressionHash(i.type, i.value))))]
    const anySuppressed = await ctx.caches.suppressions.get(
      source.workspaceId,
      async () =>
        (await tx
          .selectFrom('suppressions')
          .select('identifier_hash')
          .where('workspace_id', '=', source.workspaceId)
          .limit(1)
          .executeTakeFirst()) !== undefined,
    )
    const suppressedHashes = new Set(
      hashes.length === 0 || !anySuppressed
        ? []
        : (
            await tx
              .selectFrom('suppressions')
              .select('identifier_hash')
              .where('workspace_id', '=', source.workspaceId)
              .where('identifier_hash', 'in', hashes)
              .execute()
          ).map((r) => r.identifier_hash),
    )
    const kept = prepared.filter((p) => !p.identifiers.some((i) => suppressedHashes.has(suppressionHash(i.type, i.value))))
    if (kept.length > 0) {
      await resolveAndWrite(
        tx,
        source.workspaceId,
        kept.map((p) => ({
          identifiers: p.identifiers,
          at: p.message.timestamp,
          traits: p.message.type === 'identify' || p.message.type === 'group' ? p.message.traits : {},
          messageId: p.messageId,
        })),
        policy,
        receivedAt,
        {
          // The events go in the same statement as the identity writes: the whole batch as one JSON parameter.
          append: (profileOf) => {
            const rows = kept.map((p, i) => ({
              profile_id: profileOf[i]!,
              message_id: p.messageId,
              type: p.message.type,
              name: p.message.name,
              properties: p.message.properties,
              traits: p.message.traits,
              context: p.message.context,
              user_id: p.message.userId,
              anonymous_id: p.message.anonymousId,
              timestamp: p.message.timestamp,
              sent_at: p.message.sentAt,
            }))
            return sql`
              INSERT INTO events (workspace_id, source_id, received_at, profile_id, message_id, type, name, properties, traits, context, user_id, anonymous_id, timestamp, sent_at)
              SELECT ${source.workspaceId}, ${source.id}, ${receivedAt}, r.*
              FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(profile_id uuid, message_id text, type text, name text, properties jsonb, traits jsonb, context jsonb, user_id text, anonymous_id text, timestamp timestamptz, sent_at timestamptz)`
          },
        },
      )
    }
    return { accepted: kept.length, duplicates, suppressed: prepared.length - kept.length, rejected }
  })
  return outcome
}

/** The recurring job that forgets messageIds older than the retention. */
export const PRUNE_MESSAGE_IDS_QUEUE = 'maintenance.prune-message-ids'

/**
 * Forgets messageIds received before the retention (`MESSAGE_ID_RETENTION_DAYS`, at least 7 days),
 * in chunks so no transaction grows large. Returns how many were removed.
 */
export async function pruneMessageIds(ctx: AppContext, chunk = 10_000): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ctx.config.messageIdRetentionDays * 86_400_000)
  let removed = 0
  for (;;) {
    const { numDeletedRows } = await ctx.db
      .deleteFrom('event_message_ids')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('source_id', 'message_id'),
          'in',
          selectFrom('event_message_ids')
            .select(['source_id', 'message_id'])
            .where('received_at', '<', before)
            .limit(chunk)
            .$asTuple('source_id', 'message_id'),
        ),
      )
      .executeTakeFirst()
    removed += Number(numDeletedRows)
    if (Number(numDeletedRows) < chunk) return removed
  }
}
