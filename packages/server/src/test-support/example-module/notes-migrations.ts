import type { Migration } from '../../platform/db/migrate.js'

/** The example module's tables, made by its own migration (sorted after the platform's files). */
export const NOTES_MIGRATIONS: readonly Migration[] = [
  {
    name: '9000_example_notes',
    sql: `
      CREATE TABLE profile_notes (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        text text NOT NULL,
        reminded_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX profile_notes_profile ON profile_notes (workspace_id, profile_id);
      CREATE TABLE profile_order_tallies (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        profile_id uuid NOT NULL,
        orders int NOT NULL,
        PRIMARY KEY (workspace_id, profile_id)
      );`,
  },
]
