-- The event log's commit-ordered position (DESIGN §4). Ids from a sequence commit out of order
-- under concurrent writers, so consumers read by (tx_id, id) and only below the oldest transaction
-- still running (pg_snapshot_xmin): a row can no longer appear behind a consumer's position.
ALTER TABLE events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_log ON events (tx_id, id);

-- The log is append-only and written at high rate: no per-row foreign-key checks on it. Integrity
-- comes from the ingest transaction; erasure deletes a profile's events itself; a deleted source's
-- events keep its id as history (the log is never rewritten); de-dup entries of a deleted source
-- expire with the retention like any other.
ALTER TABLE events DROP CONSTRAINT events_workspace_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_source_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_profile_id_fkey;
ALTER TABLE event_message_ids DROP CONSTRAINT event_message_ids_source_id_fkey;

-- Each consumer's position in the log, stored in the same transaction as its effects.
CREATE TABLE log_consumers (
  name text PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT '0',
  event_id bigint NOT NULL DEFAULT 0,
  processed bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

-- The same for the identity tables written on every batch: erasure deletes identifiers itself.
ALTER TABLE profile_identifiers DROP CONSTRAINT profile_identifiers_workspace_id_fkey;
ALTER TABLE profile_identifiers DROP CONSTRAINT profile_identifiers_profile_id_fkey;
