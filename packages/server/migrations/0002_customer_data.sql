-- Customer data: sources with write keys, the event log, profiles and their identifiers, merges,
-- identity refusals, quarantined events, per-workspace identity rules, and the erasure suppression list.

CREATE TABLE sources (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL,
  -- The write key is looked up by hash and shown to operators from its ciphertext (secrets at rest).
  write_key_hash text NOT NULL UNIQUE,
  write_key_ciphertext text NOT NULL,
  created_at timestamptz NOT NULL,
  rotated_at timestamptz
);
CREATE INDEX sources_workspace ON sources (workspace_id);

CREATE TABLE profiles (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  traits jsonb NOT NULL DEFAULT '{}',
  -- When each trait was last set (epoch ms), for the "latest non-empty wins" rule.
  trait_times jsonb NOT NULL DEFAULT '{}',
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Set when this profile was merged into another; its events stay in the log under this id.
  merged_into uuid REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE INDEX profiles_workspace_seen ON profiles (workspace_id, last_seen_at DESC, id) WHERE merged_into IS NULL;
CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE profile_identifiers (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  value text NOT NULL,
  profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, type, value)
);
CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);

-- The event log (DESIGN §4): appended, never changed.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  source_id uuid REFERENCES sources (id) ON DELETE SET NULL,
  profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  message_id text NOT NULL,
  type text NOT NULL,
  name text,
  properties jsonb NOT NULL DEFAULT '{}',
  traits jsonb NOT NULL DEFAULT '{}',
  context jsonb NOT NULL DEFAULT '{}',
  user_id text,
  anonymous_id text,
  timestamp timestamptz NOT NULL,
  sent_at timestamptz,
  received_at timestamptz NOT NULL
);
CREATE INDEX events_profile_time ON events (profile_id, timestamp DESC, id DESC);
CREATE INDEX events_workspace ON events (workspace_id, id);

-- messageIds seen per source, for de-duplication (kept at least 7 days).
CREATE TABLE event_message_ids (
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  message_id text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (source_id, message_id)
);
CREATE INDEX event_message_ids_received ON event_message_ids (received_at);

CREATE TABLE profile_merges (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  from_profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  into_profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  message_id text,
  actor_label text,
  merged_at timestamptz NOT NULL
);
CREATE INDEX profile_merges_into ON profile_merges (into_profile_id);

CREATE TABLE identity_refusals (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  profile_id uuid REFERENCES profiles (id) ON DELETE CASCADE,
  identifier_type text NOT NULL,
  identifier_value text NOT NULL,
  message_id text,
  reason text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX identity_refusals_workspace ON identity_refusals (workspace_id, id DESC);

-- Events refused at ingestion, kept with their reason so they can be fixed and replayed.
CREATE TABLE quarantine (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  source_id uuid REFERENCES sources (id) ON DELETE SET NULL,
  code text NOT NULL,
  reason text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  replayed_at timestamptz
);
CREATE INDEX quarantine_workspace ON quarantine (workspace_id, id DESC);

-- A workspace's own identity rules; types without a row use the defaults.
CREATE TABLE identifier_types (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  priority integer NOT NULL,
  max_per_profile integer NOT NULL,
  blocked_values text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, type)
);

-- Identifiers of erased profiles, as SHA-256 of "type:value": nothing carrying one is ingested again.
CREATE TABLE suppressions (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  identifier_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, identifier_hash)
);
