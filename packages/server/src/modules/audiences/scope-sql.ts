import { sql } from 'kysely'
import type { EventMatch } from '@reachloop/domain'
import { liveProfilesSql, survivorMapSql } from '../identity/index.js'
import { path, valueTest, type Sql } from './value-sql.js'

/** Where a definition is evaluated: a workspace at an instant, optionally only some profiles. */
export interface SegmentScope {
  workspaceId: string
  now: Date
  /** The workspace's time zone, for profiles without a valid `timezone` trait. */
  timeZone: string
  /** Only these (surviving) profiles; all live profiles of the workspace when absent. */
  profileIds?: readonly string[]
}

/** How compiled queries find a scope's live profiles (`base`) and its events, with the profile each counts for. */
export function eventsIn(scope: SegmentScope) {
  const { now, workspaceId } = scope
  const wsZone = sql`${scope.timeZone}::text`
  const only = scope.profileIds
  return {
    wsZone,
    restrict: only ? sql`AND p.id = ANY(${only}::uuid[])` : sql``,
    // Dates in event properties are read in the workspace's zone (see evaluate.ts).
    match: (alias: string, m: EventMatch): Sql => {
      const e = sql.ref(alias)
      const filters = m.filters.map((f) => valueTest(sql`${e}.properties #> ${path(f.property)}::text[]`, wsZone, f, now))
      return sql.join([sql`${e}.workspace_id = ${workspaceId}`, sql`${e}.name = ${m.event}::text`, ...filters], sql` AND `)
    },
    /**
     * Events with their survivor as `<alias>m.survivor`. For some profiles, joined to them (and
     * those merged into them); for the whole workspace, only the few merged profiles are looked up
     * (hashing a million profiles to map most of them to themselves cost a second per condition).
     */
    eventsOf: (alias: string) => {
      const e = sql.ref(alias)
      const m = sql.ref(`${alias}m`)
      if (only) return sql`events ${e} JOIN members ${m} ON ${m}.id = ${e}.profile_id`
      const merged = sql.ref(`${alias}_merged`)
      return sql`events ${e} LEFT JOIN merged ${merged} ON ${merged}.id = ${e}.profile_id CROSS JOIN LATERAL (SELECT coalesce(${merged}.survivor, ${e}.profile_id) AS survivor) ${m}`
    },
    /** `base`, and the survivors `eventsOf` joins: of the scope's profiles (`members`), or of the merged ones (`merged`). */
    ctes: sql`base AS (${liveProfilesSql(workspaceId, only)}),
      ${only ? sql`members AS NOT MATERIALIZED (${survivorMapSql(workspaceId, only)})` : sql`merged AS NOT MATERIALIZED (${survivorMapSql(workspaceId)})`}`,
  }
}
