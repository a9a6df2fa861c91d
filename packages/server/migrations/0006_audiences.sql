-- Audiences: segments, tags, and how segment conditions read values (DESIGN §4: membership is
-- derived from the event log).

-- How a condition reads a number out of JSON: a JSON number, or a string of plain decimal digits.
-- Mirrors asNumber() of the domain package.
CREATE FUNCTION rl_num(v jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE jsonb_typeof(v)
    WHEN 'number' THEN (v)::double precision
    WHEN 'string' THEN CASE WHEN (v #>> '{}') ~ '^-?[0-9]+(\.[0-9]+)?$' THEN (v #>> '{}')::double precision END
  END
$$;

-- The instant a date value stands for: a date or local date-time read in `tz`, or a date-time with
-- Z / an offset. Anything else (or an impossible date such as 2026-02-30) is no date. Mirrors
-- asInstant() of the domain package.
CREATE FUNCTION rl_instant(v jsonb, tz text) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
  s text;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) <> 'string' THEN
    RETURN NULL;
  END IF;
  s := v #>> '{}';
  IF s ~ '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?)?$' THEN
    RETURN (replace(s, 'T', ' ')::timestamp) AT TIME ZONE tz;
  ELSIF s ~ '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$' THEN
    RETURN replace(s, 'T', ' ')::timestamptz;
  END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- The time zone names the database knows: a profile's `timezone` trait counts only if listed here.
CREATE TABLE time_zones (name text PRIMARY KEY);
INSERT INTO time_zones (name) SELECT DISTINCT name FROM pg_timezone_names;

-- Tags, in groups (layers such as lifecycle or value); in an exclusive group a profile holds one tag.
CREATE TABLE tag_groups (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  exclusive boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);

-- A manual tag is given by people (API, console, CSV); a rule tag is computed like a segment.
CREATE TABLE tags (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  group_id uuid REFERENCES tag_groups (id) ON DELETE SET NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('manual', 'rule')),
  definition jsonb,
  size bigint NOT NULL DEFAULT 0,
  computed_at timestamptz,
  -- The snapshot a full computation read; events committed after it are caught up by the consumer.
  computed_snapshot text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE profile_tags (
  workspace_id uuid NOT NULL,
  tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  profile_id uuid NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (tag_id, profile_id)
);
CREATE INDEX profile_tags_profile ON profile_tags (profile_id);

-- Segments: dynamic (a definition) or static (a list of profiles, from a CSV of identifiers).
CREATE TABLE segments (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('dynamic', 'static')),
  definition jsonb,
  -- Re-evaluated on a schedule as well as on events (sliding windows, relative dates, deadlines).
  changes_with_time boolean NOT NULL DEFAULT false,
  size bigint NOT NULL DEFAULT 0,
  computed_at timestamptz,
  -- The snapshot a full computation read; events committed after it are caught up by the consumer.
  computed_snapshot text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);

-- Who is in a segment now, since when.
CREATE TABLE segment_members (
  workspace_id uuid NOT NULL,
  segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  profile_id uuid NOT NULL,
  entered_at timestamptz NOT NULL,
  PRIMARY KEY (segment_id, profile_id)
);
CREATE INDEX segment_members_profile ON segment_members (profile_id);
CREATE INDEX segment_members_latest ON segment_members (segment_id, entered_at DESC, profile_id DESC);

-- Every entry and exit, kept (they are also appended to the event log as Segment Entered / Exited).
-- The same table keeps tag history (tag_id set instead of segment_id).
CREATE TABLE membership_changes (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL,
  segment_id uuid,
  tag_id uuid,
  profile_id uuid NOT NULL,
  change text NOT NULL CHECK (change IN ('entered', 'exited')),
  actor_label text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX membership_changes_segment ON membership_changes (segment_id, at) WHERE segment_id IS NOT NULL;
CREATE INDEX membership_changes_tag ON membership_changes (tag_id, at) WHERE tag_id IS NOT NULL;
CREATE INDEX membership_changes_profile ON membership_changes (profile_id, at);

-- A segment's size over time, for its trend chart.
CREATE TABLE segment_sizes (
  segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  size bigint NOT NULL,
  PRIMARY KEY (segment_id, at)
);
