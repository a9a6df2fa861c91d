import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { WorkspaceRollups } from './workspace-rollups.js'

/** Which events to count: a workspace's, narrowed by profiles, source, names and a time range (`from` ≤ timestamp < `to`). */
export interface EventFilter {
  workspaceId: string
  profileIds?: readonly string[]
  sourceId?: string
  names?: readonly string[]
  from?: Date
  to?: Date
}

/** Events per time bucket, the bucket's start in the given time zone. */
export interface EventBucket {
  start: Date
  events: number
}

/** Exact counts over the event log itself. */
export interface EventCounts {
  countEvents(filter: EventFilter): Promise<number>
  countEventsBy(filter: EventFilter & { grain: 'hour' | 'day'; timeZone: string }): Promise<EventBucket[]>
}

/**
 * Counts and rollups over the event log (DESIGN §9). Modules ask this port, never the `events` table,
 * so a columnar store (ClickHouse) can answer them later as a second adapter beside PostgreSQL's.
 * The platform answers the counts; the daily rollups come from the module that keeps them (the
 * analytics module), joined in by the runtime, so the platform names no module.
 */
export type AnalyticsStore = EventCounts & WorkspaceRollups

/** The PostgreSQL adapter of the counts: exact, on the log's own table and indexes. */
export function postgresEventCounts(db: Kysely<DB>): EventCounts {
  const where = (f: EventFilter) =>
    sql.join(
      [
        sql`workspace_id = ${f.workspaceId}`,
        ...(f.profileIds ? [sql`profile_id = ANY(${[...f.profileIds]}::uuid[])`] : []),
        ...(f.sourceId ? [sql`source_id = ${f.sourceId}`] : []),
        ...(f.names ? [sql`name = ANY(${[...f.names]}::text[])`] : []),
        ...(f.from ? [sql`timestamp >= ${f.from}`] : []),
        ...(f.to ? [sql`timestamp < ${f.to}`] : []),
      ],
      sql` AND `,
    )
  return {
    async countEvents(filter) {
      if (filter.profileIds?.length === 0) return 0
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE ${where(filter)}`.execute(db)
      return rows[0]?.n ?? 0
    },
    async countEventsBy(filter) {
      if (filter.profileIds?.length === 0) return []
      const bucket = sql`date_trunc(${filter.grain}, timestamp AT TIME ZONE ${filter.timeZone}) AT TIME ZONE ${filter.timeZone}`
      const { rows } = await sql<{ start: Date; events: number }>`
        SELECT ${bucket} AS start, count(*)::int AS events FROM events WHERE ${where(filter)} GROUP BY 1 ORDER BY 1`.execute(db)
      return rows.map((r) => ({ start: new Date(r.start), events: r.events }))
    },
  }
}
