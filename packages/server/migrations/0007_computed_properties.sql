-- Computed properties: values derived from each profile's events (counts, sums, first / last
-- values, average days between events, RFM scores), kept per profile for segment conditions and
-- message templates, and kept current from the event log like segments.
CREATE TABLE computed_properties (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  -- The key templates and exports use (`total_spend_90d`); unique in the workspace.
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  definition jsonb NOT NULL,
  -- The value of a profile without matching events (0 for count and sum, else none).
  empty_value jsonb,
  changes_with_time boolean NOT NULL DEFAULT false,
  -- RFM: the quintile boundaries of the last full computation, which profiles are scored against.
  bands jsonb,
  computed_at timestamptz,
  -- The snapshot a full computation read; events committed after it are caught up by the consumer.
  computed_snapshot text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE computed_values (
  workspace_id uuid NOT NULL,
  computed_property_id uuid NOT NULL REFERENCES computed_properties (id) ON DELETE CASCADE,
  profile_id uuid NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (computed_property_id, profile_id)
);
CREATE INDEX computed_values_profile ON computed_values (profile_id);
