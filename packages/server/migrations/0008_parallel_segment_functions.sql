-- The functions segment conditions read values with may run in parallel workers, so a full
-- computation or a preview over millions of events can scan with both cores. rl_instant caught the
-- error of an impossible date (2026-02-30) in an exception block, which parallel workers cannot
-- run: it now checks the day against the month instead, in plain SQL, and reads the same values.

ALTER FUNCTION rl_num(jsonb) PARALLEL SAFE;

CREATE OR REPLACE FUNCTION rl_instant(v jsonb, tz text) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(v) IS DISTINCT FROM 'string' THEN NULL
    -- A real month and a day that exists in it (February 29 in leap years only).
    WHEN (v #>> '{}') !~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' THEN NULL
    WHEN substr(v #>> '{}', 9, 2)::int > CASE substr(v #>> '{}', 6, 2)::int
        WHEN 2 THEN CASE WHEN (substr(v #>> '{}', 1, 4)::int % 4 = 0 AND substr(v #>> '{}', 1, 4)::int % 100 <> 0) OR substr(v #>> '{}', 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END
        WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END THEN NULL
    WHEN (v #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?)?$'
      THEN (replace(v #>> '{}', 'T', ' ')::timestamp) AT TIME ZONE tz
    WHEN (v #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$'
      THEN replace(v #>> '{}', 'T', ' ')::timestamptz
  END
$$;
