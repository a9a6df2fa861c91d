-- The event log's commit-ordered reading (DESIGN §4). Ids from a sequence commit out of order under
-- concurrent writers, so "everything after id N" can skip rows. Each event records its appending
-- transaction; a consumer reads, between two snapshots, the events whose transactions became
-- visible in between (as PgQ does): an event is read once its transaction commits, never skipped,
-- and a long transaction elsewhere holds back only its own events.
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

-- Each consumer's position in the log, stored in the same transaction as its effects: the snapshot
-- it has read up to, the snapshot it is reading towards, and how far into that difference it is.
CREATE TABLE log_consumers (
  name text PRIMARY KEY,
  done_snapshot text NOT NULL DEFAULT '1:1:',
  target_snapshot text,
  cursor_tx xid8 NOT NULL DEFAULT '0',
  cursor_id bigint NOT NULL DEFAULT 0,
  processed bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);
