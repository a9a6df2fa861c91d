import type { Migration } from '../../platform/db/migrate.js'

/**
 * The analytics module's rollups, kept by its log consumer (rollup-consumer.ts):
 *
 * - `analytics_daily`: a figure per workspace, metric, calendar day (the workspace's time zone) and
 *   key (`platform/analytics/workspace-rollups.ts` says what each metric counts);
 * - `analytics_active_days`: which customers were active on which day, for unique counts over any
 *   range (7 or 30 days are not sums of days); merges move a merged profile's days to its survivor;
 * - `analytics_customers`: the profiles counted as new (and their first day), so a merge or an
 *   erasure takes away exactly those that were counted.
 */
export const ANALYTICS_MIGRATIONS: readonly Migration[] = [
  {
    name: '0021_analytics',
    sql: `
      CREATE TABLE analytics_daily (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        metric text NOT NULL,
        day date NOT NULL,
        key text NOT NULL DEFAULT '',
        value bigint NOT NULL,
        PRIMARY KEY (workspace_id, metric, day, key)
      );
      CREATE TABLE analytics_active_days (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        day date NOT NULL,
        profile_id uuid NOT NULL,
        PRIMARY KEY (workspace_id, day, profile_id)
      );
      CREATE INDEX analytics_active_days_profile ON analytics_active_days (workspace_id, profile_id);
      CREATE TABLE analytics_customers (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        first_day date NOT NULL,
        PRIMARY KEY (workspace_id, profile_id)
      );`,
  },
]
