-- Imports of profiles and events from CSV or JSONL files, with per-row error reports.

CREATE TABLE imports (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  source_id uuid REFERENCES sources (id) ON DELETE SET NULL,
  kind text,
  format text NOT NULL,
  file_name text NOT NULL,
  file_path text NOT NULL,
  file_bytes bigint NOT NULL,
  file_sha256 text NOT NULL,
  columns jsonb NOT NULL DEFAULT '[]',
  preview jsonb NOT NULL DEFAULT '[]',
  mapping jsonb,
  status text NOT NULL,
  processed_rows integer NOT NULL DEFAULT 0,
  processed_bytes bigint NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  duplicates integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  error text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX imports_workspace ON imports (workspace_id, created_at DESC);

CREATE TABLE import_errors (
  import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number integer NOT NULL,
  reason text NOT NULL,
  raw text NOT NULL,
  PRIMARY KEY (import_id, row_number)
);
