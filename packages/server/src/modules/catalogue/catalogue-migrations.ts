import type { Migration } from '../../platform/db/migrate.js'

/**
 * The catalogue's tables. `catalogue_events` holds one row per event name (`kind` 'event'), and one
 * for identify calls (`kind` 'traits', name ''): the count that traits' shares are over.
 * `catalogue_properties` holds one row per (event, property path) (`kind` 'property') or trait
 * (`kind` 'trait', event ''): `types` counts each observed type, `top_values` is `[[value, count], …]`.
 */
export const CATALOGUE_MIGRATIONS: readonly Migration[] = [
  {
    name: '0020_catalogue',
    sql: `
      CREATE TABLE catalogue_events (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('event', 'traits')),
        name text NOT NULL,
        count bigint NOT NULL DEFAULT 0,
        first_seen timestamptz,
        last_seen timestamptz,
        description text NOT NULL DEFAULT '',
        hidden boolean NOT NULL DEFAULT false,
        plan jsonb,
        violations bigint NOT NULL DEFAULT 0,
        last_violation text,
        last_violation_at timestamptz,
        PRIMARY KEY (workspace_id, kind, name)
      );
      CREATE INDEX catalogue_events_planned ON catalogue_events (workspace_id) WHERE plan IS NOT NULL;
      CREATE TABLE catalogue_properties (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('property', 'trait')),
        event text NOT NULL,
        name text NOT NULL,
        types jsonb NOT NULL DEFAULT '{}',
        count bigint NOT NULL DEFAULT 0,
        top_values jsonb NOT NULL DEFAULT '[]',
        first_seen timestamptz,
        last_seen timestamptz,
        description text NOT NULL DEFAULT '',
        mark text CHECK (mark IN ('money', 'date')),
        hidden boolean NOT NULL DEFAULT false,
        PRIMARY KEY (workspace_id, kind, event, name)
      );
      CREATE INDEX catalogue_properties_marked ON catalogue_properties (workspace_id) WHERE mark IS NOT NULL;`,
  },
]
