import { sql } from 'kysely'
import type { Executor } from '../db/database.js'

/** An event as the console shows it: on a profile's timeline or in a source's debugger. */
export interface StoredEvent {
  id: number
  type: string
  name: string | null
  profileId: string
  sourceId: string | null
  messageId: string
  userId: string | null
  anonymousId: string | null
  timestamp: Date
  receivedAt: Date
  properties: Record<string, unknown>
  traits: Record<string, unknown>
}

const COLUMNS = [
  'id',
  'type',
  'name',
  'profile_id',
  'source_id',
  'message_id',
  'user_id',
  'anonymous_id',
  'timestamp',
  'received_at',
  'properties',
  'traits',
] as const

type EventRow = {
  id: number
  type: string
  name: string | null
  profile_id: string
  source_id: string | null
  message_id: string
  user_id: string | null
  anonymous_id: string | null
  timestamp: Date
  received_at: Date
  properties: unknown
  traits: unknown
}

/** The one mapping of an `events` row read back: its JSON columns are objects, as appended. */
const toStoredEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  type: r.type,
  name: r.name,
  profileId: r.profile_id,
  sourceId: r.source_id,
  messageId: r.message_id,
  userId: r.user_id,
  anonymousId: r.anonymous_id,
  timestamp: r.timestamp,
  receivedAt: r.received_at,
  properties: r.properties as Record<string, unknown>,
  traits: r.traits as Record<string, unknown>,
})

/** Which events of some profiles to read, newest first: by type, name and time (`from` ≤ timestamp < `to`), after a keyset position. */
export interface TimelineQuery {
  workspaceId: string
  profileIds: readonly string[]
  type?: string | undefined
  name?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  /** The last event of the previous page: only older ones (by timestamp, then id) come. */
  before?: { timestamp: Date; id: number } | undefined
  limit: number
}

/** Events of profiles (a customer and the profiles merged into it), newest first: a timeline page. */
export async function timelineEvents(db: Executor, query: TimelineQuery): Promise<StoredEvent[]> {
  if (query.profileIds.length === 0) return []
  let q = db
    .selectFrom('events')
    .select(COLUMNS)
    .where('workspace_id', '=', query.workspaceId)
    .where(sql<boolean>`profile_id = ANY(${[...query.profileIds]}::uuid[])`)
  if (query.type) q = q.where('type', '=', query.type)
  if (query.name) q = q.where('name', '=', query.name)
  if (query.from) q = q.where('timestamp', '>=', query.from)
  if (query.to) q = q.where('timestamp', '<', query.to)
  if (query.before) q = q.where(sql<boolean>`(timestamp, id) < (${query.before.timestamp}, ${query.before.id})`)
  const rows = await q.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(query.limit).execute()
  return rows.map(toStoredEvent)
}

/** The latest events a source appended, newest first (the source's live debugger). */
export async function latestSourceEvents(db: Executor, sourceId: string, limit: number): Promise<StoredEvent[]> {
  const rows = await db.selectFrom('events').select(COLUMNS).where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute()
  return rows.map(toStoredEvent)
}
