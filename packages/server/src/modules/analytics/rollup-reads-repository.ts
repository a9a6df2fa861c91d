import { sql, type Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import { ROLLUP_METRICS, type RollupMetric, type WorkspaceRollups } from '../../platform/analytics/workspace-rollups.js'

const DAY = sql`to_char(day, 'YYYY-MM-DD')`

/**
 * The PostgreSQL adapter of the rollups' side of the `AnalyticsStore` port, over this module's
 * tables. Every read is a range of one workspace's days on a primary key: a period's figures are a
 * few hundred rows, whatever the number of events behind them.
 */
export function postgresRollups(db: Kysely<DB>): WorkspaceRollups {
  return {
    async dailyValues({ workspaceId, from, to, metrics }) {
      if (metrics.length === 0) return []
      const { rows } = await sql<{ day: string; metric: RollupMetric; key: string; value: string }>`
        SELECT ${DAY} AS day, metric, key, value FROM analytics_daily
        WHERE workspace_id = ${workspaceId} AND metric = ANY(${[...metrics]}::text[]) AND day BETWEEN ${from}::date AND ${to}::date
        ORDER BY day, metric, key`.execute(db)
      return rows.map((r) => ({ day: r.day, metric: r.metric, key: r.key, value: Number(r.value) }))
    },
    async totalsBefore({ workspaceId, before, metrics }) {
      const totals = Object.fromEntries(ROLLUP_METRICS.map((m) => [m, 0])) as Record<RollupMetric, number>
      if (metrics.length === 0) return totals
      const { rows } = await sql<{ metric: RollupMetric; value: string }>`
        SELECT metric, sum(value) AS value FROM analytics_daily
        WHERE workspace_id = ${workspaceId} AND metric = ANY(${[...metrics]}::text[]) AND day < ${before}::date
        GROUP BY metric`.execute(db)
      for (const r of rows) totals[r.metric] = Number(r.value)
      return totals
    },
    async activeCustomers({ workspaceId, from, to }) {
      const { rows } = await sql<{ day: string | null; customers: number }>`
        SELECT ${DAY} AS day, count(DISTINCT profile_id)::int AS customers FROM analytics_active_days
        WHERE workspace_id = ${workspaceId} AND day BETWEEN ${from}::date AND ${to}::date
        GROUP BY GROUPING SETS ((day), ()) ORDER BY day NULLS LAST`.execute(db)
      return {
        byDay: rows.flatMap((r) => (r.day === null ? [] : [{ day: r.day, customers: r.customers }])),
        unique: rows.find((r) => r.day === null)?.customers ?? 0,
      }
    },
    async firstSourceEvent(workspaceId) {
      const { rows } = await sql<{ day: string; key: string }>`
        SELECT ${DAY} AS day, key FROM analytics_daily WHERE workspace_id = ${workspaceId} AND metric = 'events'
        ORDER BY day, value DESC LIMIT 1`.execute(db)
      const row = rows[0]
      return row ? { day: row.day, sourceId: row.key } : null
    },
  }
}
