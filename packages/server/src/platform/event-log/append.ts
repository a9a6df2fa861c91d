import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../db/database.js'

/** An event to append: what a client sent (ingestion) or a fact a module records itself (internal). */
export interface NewEvent {
  profileId: string
  messageId: string
  type?: string
  name: string | null
  properties: Record<string, unknown>
  traits?: Record<string, unknown>
  context?: Record<string, unknown>
  userId?: string | null
  anonymousId?: string | null
  timestamp: Date
  sentAt?: Date | null
}

/** Who appends: the workspace, the source a client sent through (none for internal events), and when it was received. */
export interface AppendOrigin {
  workspaceId: string
  sourceId?: string | null
  receivedAt: Date
}

/**
 * One `INSERT` of events into the log, as a statement to run or to put in a `WITH` clause beside the
 * writes it belongs with (the identity writer appends a batch in the statement that resolves it). The
 * whole batch travels as one JSON parameter.
 */
export function appendStatement(origin: AppendOrigin, events: readonly NewEvent[]): RawBuilder<unknown> {
  const rows = events.map((e) => ({
    profile_id: e.profileId,
    message_id: e.messageId,
    type: e.type ?? 'track',
    name: e.name,
    properties: e.properties,
    traits: e.traits ?? {},
    context: e.context ?? {},
    user_id: e.userId ?? null,
    anonymous_id: e.anonymousId ?? null,
    timestamp: e.timestamp,
    sent_at: e.sentAt ?? null,
  }))
  return sql`
    INSERT INTO events (workspace_id, source_id, received_at, profile_id, message_id, type, name, properties, traits, context, user_id, anonymous_id, timestamp, sent_at)
    SELECT ${origin.workspaceId}, ${origin.sourceId ?? null}, ${origin.receivedAt}, r.*
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r(profile_id uuid, message_id text, type text, name text, properties jsonb, traits jsonb, context jsonb, user_id text, anonymous_id text, timestamp timestamptz, sent_at timestamptz)`
}

/**
 * An `INSERT` of internal events computed by a query (a `WITH` clause of the statement that made the
 * changes): `rows` yields `profile_id, message_id, name, properties, timestamp`.
 */
export function appendQueryStatement(origin: Omit<AppendOrigin, 'sourceId'>, rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    INSERT INTO events (workspace_id, received_at, type, profile_id, message_id, name, properties, timestamp)
    SELECT ${origin.workspaceId}, ${origin.receivedAt}, 'track', r.profile_id, r.message_id, r.name, r.properties, r.timestamp FROM (${rows}) AS r`
}

/** Appends events in the caller's transaction. */
export async function append(db: Executor, origin: AppendOrigin, events: readonly NewEvent[]): Promise<void> {
  if (events.length > 0) await appendStatement(origin, events).execute(db)
}

/**
 * De-duplication on messageId per source: claims the ids not seen before (kept for the retention)
 * and returns them; the others are duplicates of events already in the log.
 */
export async function claimMessageIds(
  db: Executor,
  sourceId: string,
  messageIds: readonly string[],
  receivedAt: Date,
): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set()
  const { rows } = await sql<{ message_id: string }>`
    INSERT INTO event_message_ids (source_id, message_id, received_at)
    SELECT ${sourceId}, m, ${receivedAt} FROM unnest(${[...messageIds]}::text[]) AS m
    ON CONFLICT (source_id, message_id) DO NOTHING
    RETURNING message_id`.execute(db)
  return new Set(rows.map((r) => r.message_id))
}

/** Erases the events of profiles (and their de-duplication entries); returns how many events went. */
export async function eraseEvents(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<number> {
  if (profileIds.length === 0) return 0
  await sql`DELETE FROM event_message_ids m USING events e
    WHERE e.workspace_id = ${workspaceId} AND e.profile_id = ANY(${[...profileIds]}::uuid[]) AND m.source_id = e.source_id AND m.message_id = e.message_id`.execute(
    db,
  )
  const { numAffectedRows } =
    await sql`DELETE FROM events WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...profileIds]}::uuid[])`.execute(db)
  return Number(numAffectedRows ?? 0)
}
