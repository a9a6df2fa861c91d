import { randomUUID } from 'node:crypto'
import {
  isObject,
  identifiersOf,
  parseMessage,
  storableCopy,
  storableText,
  type AcceptedMessage,
  type Identifier,
  type MessageType,
} from '@reachloop/domain'
import type { Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import type { DB } from '../../platform/db/schema.js'
import { appendStatement, claimMessageIds } from '../../platform/event-log/append.js'
import { withTrackingPlans } from '../catalogue/index.js'
import { identityPolicy, resolveAndWrite } from '../identity/index.js'
import { quarantineEvents } from './quarantine-repository.js'
import { suppressedHashes, suppressionHash } from './suppression-list.js'

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

/** What happened to a request's events. */
export interface IngestOutcome {
  accepted: number
  duplicates: number
  suppressed: number
  rejected: Rejection[]
}

type Valid = { index: number; message: AcceptedMessage }
type Prepared = Valid & { messageId: string; identifiers: Identifier[] }

/** The quarantine keeps a refused event as sent, minus its write key and whatever cannot be stored. */
const WITHOUT_WRITE_KEY: ReadonlySet<string> = new Set(['writeKey'])
const quarantinedPayload = (raw: unknown, type: MessageType | undefined) =>
  JSON.stringify(storableCopy(type && isObject(raw) ? { type, ...raw } : (raw ?? null), { omit: WITHOUT_WRITE_KEY }))
const printableId = (v: unknown) => (typeof v === 'string' ? storableText(v.slice(0, 200)) : null)

/** Parses a request's events; a batch's outer context and sentAt apply to each event that lacks its own. */
function parseRequest(
  raws: unknown[],
  receivedAt: Date,
  options: IngestOptions,
  reserved: ReadonlySet<string>,
): { valid: Valid[]; rejected: Rejection[] } {
  const valid: Valid[] = []
  const rejected: Rejection[] = []
  raws.forEach((raw, index) => {
    const withBatch =
      isObject(raw) && (options.context || options.sentAt)
        ? { ...raw, context: { ...options.context, ...(isObject(raw.context) ? raw.context : {}) }, sentAt: raw.sentAt ?? options.sentAt }
        : raw
    const parsed = parseMessage(withBatch, receivedAt, options.type, reserved)
    if (parsed.ok) valid.push({ index, message: parsed.message })
    else rejected.push({ index, messageId: isObject(raw) ? printableId(raw.messageId) : null, ...parsed.problem })
  })
  return { valid, rejected }
}

/** De-duplicates on messageId per source: within the request, then against what the log has seen before. */
async function notSeenBefore(tx: Transaction<DB>, sourceId: string, valid: Valid[], receivedAt: Date): Promise<Valid[]> {
  const seen = new Set<string>()
  const unique = valid.filter(({ message }) => {
    if (!message.messageId) return true
    if (seen.has(message.messageId)) return false
    seen.add(message.messageId)
    return true
  })
  const withIds = unique.flatMap((v) => (v.message.messageId === null ? [] : [v.message.messageId]))
  const fresh = await claimMessageIds(tx, sourceId, withIds, receivedAt)
  return unique.filter((v) => v.message.messageId === null || fresh.has(v.message.messageId))
}

/** Customers who were erased stay erased: nothing carrying one of their identifiers is kept. */
async function withoutSuppressed(ctx: AppContext, tx: Transaction<DB>, workspaceId: string, prepared: Prepared[]): Promise<Prepared[]> {
  const hashes = [...new Set(prepared.flatMap((p) => p.identifiers.map((i) => suppressionHash(i.type, i.value))))]
  const suppressed = await suppressedHashes(ctx, tx, workspaceId, hashes)
  return prepared.filter((p) => !p.identifiers.some((i) => suppressed.has(suppressionHash(i.type, i.value))))
}

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
  ctx.state.lastIngestAt = performance.now()
  // Tracking plans in mode `quarantine` refuse the events that break them (a cached check, before the transaction).
  const { valid, rejected } = await withTrackingPlans(ctx, source.workspaceId, parseRequest(raws, receivedAt, options, ctx.internalEvents))
  return ctx.db.transaction().execute(async (tx) => {
    const refused = rejected.map((r) => ({
      sourceId: source.id,
      code: r.code,
      reason: r.reason,
      field: r.field,
      index: r.index,
      requestId: options.requestId ?? null,
      payload: quarantinedPayload(raws[r.index], options.type),
    }))
    await quarantineEvents(tx, source.workspaceId, refused, receivedAt)
    const toStore = await notSeenBefore(tx, source.id, valid, receivedAt)
    const policy = await identityPolicy(ctx, source.workspaceId, tx)
    const knownTypes = new Set(Object.keys(policy))
    const prepared = toStore.map((v) => ({
      ...v,
      messageId: v.message.messageId ?? `rl-${randomUUID()}`,
      identifiers: identifiersOf(v.message, { knownTypes }),
    }))
    const kept = await withoutSuppressed(ctx, tx, source.workspaceId, prepared)
    if (kept.length > 0) {
      const resolvable = kept.map((p) => ({
        identifiers: p.identifiers,
        at: p.message.timestamp,
        traits: p.message.type === 'identify' || p.message.type === 'group' ? p.message.traits : {},
        messageId: p.messageId,
      }))
      // The events go in the same statement as the identity writes: the whole batch as one JSON parameter.
      const append = (profileOf: string[]) =>
        appendStatement(
          { workspaceId: source.workspaceId, sourceId: source.id, receivedAt },
          kept.map((p, i) => ({
            profileId: profileOf[i]!,
            messageId: p.messageId,
            type: p.message.type,
            name: p.message.name,
            properties: p.message.properties,
            traits: p.message.traits,
            context: p.message.context,
            userId: p.message.userId,
            anonymousId: p.message.anonymousId,
            timestamp: p.message.timestamp,
            sentAt: p.message.sentAt,
          })),
        )
      const resolved = await resolveAndWrite(tx, source.workspaceId, resolvable, policy, receivedAt, { append })
      for (const m of resolved.merged) await ctx.hooks.profilesMerged(tx, { ctx, workspaceId: source.workspaceId, ...m, by: 'ingestion' })
    }
    return { accepted: kept.length, duplicates: valid.length - toStore.length, suppressed: prepared.length - kept.length, rejected }
  })
}
