import {
  compare,
  DAY_MS,
  monthDaysFrom,
  RFM_GRID,
  subscriptionTrait,
  WINDOW_UNIT_MS,
  type Comparison,
  type ComputedDefinition,
  type Condition,
  type EventMatch,
  type EventWindow,
  type RfmBands,
  type SegmentNode,
  type ValueTestLike,
} from '@reachloop/domain'
import { sql, type RawBuilder } from 'kysely'

/** Where a definition is evaluated: a workspace at an instant, optionally only some profiles. */
export interface SegmentScope {
  workspaceId: string
  now: Date
  /** The workspace's time zone, for profiles without a valid `timezone` trait. */
  timeZone: string
  /** Only these (surviving) profiles; all live profiles of the workspace when absent. */
  profileIds?: readonly string[]
}

type Sql = RawBuilder<unknown>

const at = (ms: number) => new Date(ms).toISOString()
const path = (dotted: string) => dotted.split('.')

/**
 * A value test as SQL over a JSON expression `j` (a trait or property) with the profile's time zone
 * `zone`. Mirrors testValue() of the domain package: a missing or unreadable value fails every test
 * but not_exists.
 */
function valueTest(j: Sql, zone: Sql, test: ValueTestLike, now: Date): Sql {
  const text = sql`(CASE WHEN jsonb_typeof(${j}) = 'string' THEN ${j} #>> '{}' END)`
  const num = sql`rl_num(${j})`
  const instant = sql`rl_instant(${j}, ${zone})`
  const readable = {
    string: sql`jsonb_typeof(${j}) = 'string'`,
    number: sql`rl_num(${j}) IS NOT NULL`,
    boolean: sql`jsonb_typeof(${j}) = 'boolean'`,
    date: sql`rl_instant(${j}, ${zone}) IS NOT NULL`,
    list: sql`jsonb_typeof(${j}) = 'array'`,
  }[test.type]
  const v = test.value
  const days = (test.days ?? 0) * DAY_MS
  const nowMs = now.getTime()
  const cmp = (x: Sql, op: string, operand: Sql) => sql`${x} ${sql.raw(op)} ${operand}`
  const number = (n: unknown) => sql`${Number(n)}::double precision`
  const instantParam = (value: unknown) => sql`${String(value)}::timestamptz`
  switch (test.op) {
    case 'exists':
      return sql`coalesce(${readable}, false)`
    case 'not_exists':
      return sql`NOT coalesce(${readable}, false)`
    case 'equals':
      return sql`${text} = ${String(v)}::text`
    case 'not_equals':
      return sql`${text} <> ${String(v)}::text`
    case 'contains':
      return sql`strpos(lower(${text}), lower(${String(v)}::text)) > 0`
    case 'not_contains':
      return sql`strpos(lower(${text}), lower(${String(v)}::text)) = 0`
    case 'starts_with':
      return sql`starts_with(${text}, ${String(v)}::text)`
    case 'in':
      return sql`${text} = ANY(${test.values ?? []}::text[])`
    case 'not_in':
      return sql`NOT (${text} = ANY(${test.values ?? []}::text[]))`
    case 'eq':
      return cmp(num, '=', number(v))
    case 'neq':
      return cmp(num, '<>', number(v))
    case 'gt':
      return cmp(num, '>', number(v))
    case 'gte':
      return cmp(num, '>=', number(v))
    case 'lt':
      return cmp(num, '<', number(v))
    case 'lte':
      return cmp(num, '<=', number(v))
    case 'between':
      return test.type === 'number'
        ? sql`${num} BETWEEN ${number(test.min)} AND ${number(test.max)}`
        : sql`${instant} BETWEEN ${instantParam(test.min)} AND ${instantParam(test.max)}`
    case 'is_true':
      return sql`${j} = 'true'::jsonb`
    case 'is_false':
      return sql`${j} = 'false'::jsonb`
    case 'before':
      return sql`${instant} < ${instantParam(v)}`
    case 'after':
      return sql`${instant} > ${instantParam(v)}`
    case 'within_last_days':
      return sql`${instant} BETWEEN ${instantParam(at(nowMs - days))} AND ${instantParam(at(nowMs))}`
    case 'more_than_days_ago':
      return sql`${instant} < ${instantParam(at(nowMs - days))}`
    case 'within_next_days':
      return sql`${instant} BETWEEN ${instantParam(at(nowMs))} AND ${instantParam(at(nowMs + days))}`
    case 'anniversary_within_next_days': {
      // Today, in any time zone, is yesterday, today or tomorrow in UTC: the month-days of the
      // window for each of those three, picked by the profile's own today.
      const utcToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
      const [d1, d2, d3] = [-1, 0, 1].map((k) => new Date(utcToday + k * DAY_MS).toISOString().slice(0, 10)) as [string, string, string]
      const window = (d: string) => sql`${monthDaysFrom(d, test.days ?? 0)}::text[]`
      // A cheap test first: the written month-day is at most two days off the one in any zone
      // (a date-time at -12:00 read at +14:00), so most profiles are ruled out without reading it.
      const near = monthDaysFrom(new Date(utcToday - 3 * DAY_MS).toISOString().slice(0, 10), (test.days ?? 0) + 6)
      return sql`substr(${text}, 6, 5) = ANY(${near}::text[]) AND to_char(${instant} AT TIME ZONE ${zone}, 'MM-DD') = ANY(CASE (${instantParam(at(nowMs))} AT TIME ZONE ${zone})::date WHEN ${d1}::date THEN ${window(d1)} WHEN ${d2}::date THEN ${window(d2)} ELSE ${window(d3)} END)`
    }
    case 'list_contains':
      return sql`(jsonb_typeof(${j}) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(${j}) AS x(value) WHERE x.value = to_jsonb(${String(v)}::text)))`
    case 'list_not_contains':
      return sql`(jsonb_typeof(${j}) = 'array' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${j}) AS x(value) WHERE x.value = to_jsonb(${String(v)}::text)))`
  }
}

function windowTest(column: Sql, window: EventWindow, now: Date): Sql {
  switch (window.type) {
    case 'ever':
      return sql`true`
    case 'last':
      return sql`${column} BETWEEN ${at(now.getTime() - window.amount * WINDOW_UNIT_MS[window.unit])}::timestamptz AND ${now.toISOString()}::timestamptz`
    case 'between':
      return sql`${column} BETWEEN ${window.from}::timestamptz AND ${window.to}::timestamptz`
  }
}

/** The earliest instant of the window (null for `ever`), as an ISO string. */
function windowStart(window: EventWindow, now: Date): string | null {
  switch (window.type) {
    case 'ever':
      return null
    case 'last':
      return at(now.getTime() - window.amount * WINDOW_UNIT_MS[window.unit])
    case 'between':
      return window.from
  }
}

function comparison(x: Sql, c: Comparison, value: number, max?: number): Sql {
  const v = sql`${value}::double precision`
  switch (c) {
    case 'gte':
      return sql`${x} >= ${v}`
    case 'gt':
      return sql`${x} > ${v}`
    case 'eq':
      return sql`${x} = ${v}`
    case 'lte':
      return sql`${x} <= ${v}`
    case 'lt':
      return sql`${x} < ${v}`
    case 'between':
      return sql`${x} BETWEEN ${v} AND ${max ?? value}::double precision`
  }
}

/** How compiled queries find a scope's live profiles (`base`) and its events, with the profile each counts for. */
function eventsIn(scope: SegmentScope) {
  const { now, workspaceId } = scope
  const wsZone = sql`${scope.timeZone}::text`
  const only = scope.profileIds
  return {
    wsZone,
    restrict: only ? sql`AND p.id = ANY(${only}::uuid[])` : sql``,
    // Dates in event properties are read in the workspace's zone (see evaluate.ts).
    match: (alias: string, m: EventMatch): Sql => {
      const e = sql.ref(alias)
      const filters = m.filters.map((f) => valueTest(sql`${e}.properties #> ${path(f.property)}::text[]`, wsZone, f, now))
      return sql.join([sql`${e}.workspace_id = ${workspaceId}`, sql`${e}.name = ${m.event}::text`, ...filters], sql` AND `)
    },
    /**
     * Events with their survivor as `<alias>m.survivor`. For some profiles, joined to them (and
     * those merged into them); for the whole workspace, only the few merged profiles are looked up
     * (hashing a million profiles to map most of them to themselves cost a second per condition).
     */
    eventsOf: (alias: string) => {
      const e = sql.ref(alias)
      const m = sql.ref(`${alias}m`)
      if (only) return sql`events ${e} JOIN members ${m} ON ${m}.id = ${e}.profile_id`
      const merged = sql.ref(`${alias}_merged`)
      return sql`events ${e} LEFT JOIN merged ${merged} ON ${merged}.id = ${e}.profile_id CROSS JOIN LATERAL (SELECT coalesce(${merged}.survivor, ${e}.profile_id) AS survivor) ${m}`
    },
    /** `base`, and the survivors `eventsOf` joins: of the scope's profiles (`members`), or of the merged ones (`merged`). */
    ctes: sql`base AS (
      SELECT p.id FROM profiles p WHERE p.workspace_id = ${workspaceId} AND p.merged_into IS NULL ${only ? sql`AND p.id = ANY(${only}::uuid[])` : sql``}
    ),
    ${
      only
        ? sql`members AS NOT MATERIALIZED (
      SELECT p.id, coalesce(p.merged_into, p.id) AS survivor FROM profiles p
      WHERE p.workspace_id = ${workspaceId} AND (p.id = ANY(${only}::uuid[]) OR p.merged_into = ANY(${only}::uuid[])))`
        : sql`merged AS NOT MATERIALIZED (
      SELECT p.id, p.merged_into AS survivor FROM profiles p WHERE p.workspace_id = ${workspaceId} AND p.merged_into IS NOT NULL)`
    }`,
  }
}

/**
 * Compiles a segment definition to one SQL query returning the `id`s of the live profiles that
 * match, evaluated set-wise: each condition is a set of profile ids, AND / OR / NOT are
 * INTERSECT / UNION / EXCEPT. Events of merged profiles count for their survivor. Mirrors
 * evaluateSegment() of the domain package.
 */
export function compileSegment(definition: SegmentNode, scope: SegmentScope): Sql {
  const { now, workspaceId } = scope
  const { wsZone, restrict, match, eventsOf, ctes } = eventsIn(scope)
  /** A trait-like test on each live profile, read in the profile's own zone. */
  const profileTest = (
    test: (traits: Sql, zone: Sql) => Sql,
    join: Sql = sql``,
  ) => sql`SELECT p.id FROM profiles p LEFT JOIN time_zones z ON z.name = p.traits ->> 'timezone' ${join}
    WHERE p.workspace_id = ${workspaceId} AND p.merged_into IS NULL ${restrict} AND ${test(sql`p.traits`, sql`coalesce(z.name, ${wsZone})`)}`

  const condition = (c: Condition): Sql => {
    switch (c.kind) {
      case 'trait':
        // Straight from profiles: the shared `base` holds ids only, so it stays small at a million profiles.
        return profileTest((traits, zone) => valueTest(sql`${traits} #> ${path(c.trait)}::text[]`, zone, c, now))
      case 'subscription': {
        const state = sql`p.traits ->> ${subscriptionTrait(c.channel)}::text`
        return profileTest(() =>
          c.state === 'subscribed' ? sql`${state} IS DISTINCT FROM 'unsubscribed'` : sql`${state} = ${c.state}::text`,
        )
      }
      case 'computed': {
        // A profile without a stored value holds the property's empty value (0 for count and sum).
        const join = sql`CROSS JOIN (SELECT empty_value FROM computed_properties WHERE id = ${c.propertyId} AND workspace_id = ${workspaceId}) cp
          LEFT JOIN computed_values cv ON cv.computed_property_id = ${c.propertyId} AND cv.profile_id = p.id`
        const value = sql`coalesce(cv.value, cp.empty_value)`
        return profileTest((_traits, zone) => valueTest(c.part ? sql`${value} -> ${c.part}::text` : value, zone, c, now), join)
      }
      case 'event': {
        const value = sql`rl_num(e.properties #> ${path(c.property ?? '')}::text[])`
        const aggregate = {
          count: sql`count(*)::double precision`,
          sum: sql`coalesce(sum(${value}), 0)`,
          avg: sql`avg(${value})`,
          min: sql`min(${value})`,
          max: sql`max(${value})`,
        }[c.aggregate]
        const grouped = sql`SELECT em.survivor AS id, ${aggregate} AS x FROM ${eventsOf('e')} WHERE ${match('e', c)} AND ${windowTest(sql`e.timestamp`, c.window, now)} GROUP BY em.survivor`
        const passing = sql`SELECT id FROM (${grouped}) AS g WHERE g.x IS NOT NULL AND ${comparison(sql`g.x`, c.comparison, c.value, c.max)}`
        // No events counts as 0 for count and sum: profiles without any pass when 0 passes.
        if ((c.aggregate === 'count' || c.aggregate === 'sum') && compare(0, c.comparison, c.value, c.max))
          return sql`(${passing}) UNION (SELECT id FROM base WHERE id NOT IN (SELECT id FROM (${grouped}) AS g))`
        return passing
      }
      case 'event_time': {
        const t = c.which === 'first' ? sql`min(e.timestamp)` : sql`max(e.timestamp)`
        const days = at(now.getTime() - (c.days ?? 0) * DAY_MS)
        const test = {
          before: sql`${t} < ${c.at ?? ''}::timestamptz`,
          after: sql`${t} > ${c.at ?? ''}::timestamptz`,
          within_last_days: sql`${t} >= ${days}::timestamptz`,
          more_than_days_ago: sql`${t} < ${days}::timestamptz`,
        }[c.op]
        return sql`SELECT em.survivor AS id FROM ${eventsOf('e')} WHERE ${match('e', c)} GROUP BY em.survivor HAVING ${test}`
      }
      case 'sequence': {
        // One pass over the two events' rows in time order per profile: each first event is paired
        // with the earliest then-event at or after it (itself excluded). A join of the events with
        // themselves was quadratic whenever the planner misjudged a workspace's share of the events
        // (over 120 s at 50,000 customers, against 0.5 s).
        const span = sql`${c.withinMinutes * 60}::double precision * interval '1 second'`
        const start = windowStart(c.window, now)
        const isFirst = sql`(${match('e', c.first)} AND ${windowTest(sql`e.timestamp`, c.window, now)}${c.mode === 'not_then' ? sql` AND e.timestamp + ${span} <= ${now.toISOString()}::timestamptz` : sql``})`
        const isThen = sql`(${match('e', c.then)}${start ? sql` AND e.timestamp >= ${start}::timestamptz` : sql``})`
        const paired = sql`SELECT em.survivor AS id, e.timestamp AS ts, ${isFirst} AS is_first,
            min(e.timestamp) FILTER (WHERE ${isThen}) OVER (PARTITION BY em.survivor ORDER BY e.timestamp RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS next_then
          FROM ${eventsOf('e')} WHERE ${isFirst} OR ${isThen}`
        const found =
          c.mode === 'then'
            ? sql`next_then IS NOT NULL AND next_then <= ts + ${span}`
            : sql`(next_then IS NULL OR next_then >= ts + ${span})`
        return sql`SELECT DISTINCT id FROM (${paired}) AS s WHERE is_first AND ${found}`
      }
      case 'tag':
        return sql`SELECT id FROM base WHERE ${c.has ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM profile_tags t WHERE t.tag_id = ${c.tagId} AND t.profile_id = base.id)`
      case 'segment':
        return sql`SELECT id FROM base WHERE ${c.member ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM segment_members s WHERE s.segment_id = ${c.segmentId} AND s.profile_id = base.id)`
      case 'identifier':
        return sql`SELECT id FROM base WHERE ${c.has ? sql`` : sql`NOT`} EXISTS (SELECT 1 FROM profile_identifiers pi WHERE pi.profile_id = base.id AND pi.type = ${c.identifierType}::text)`
      case 'source':
        return sql`SELECT DISTINCT em.survivor AS id FROM ${eventsOf('e')} WHERE e.workspace_id = ${workspaceId} AND e.source_id = ${c.sourceId} AND ${windowTest(sql`e.timestamp`, c.window, now)}`
    }
  }
  const node = (n: SegmentNode): Sql => {
    switch (n.kind) {
      case 'and':
        return sql.join(
          n.children.map((child) => sql`(${node(child)})`),
          sql` INTERSECT `,
        )
      case 'or':
        return sql.join(
          n.children.map((child) => sql`(${node(child)})`),
          sql` UNION `,
        )
      case 'not':
        return sql`(SELECT id FROM base) EXCEPT (${node(n.child)})`
      default:
        return condition(n)
    }
  }
  return sql`WITH ${ctes} ${node(definition)}`
}

const utcText = (t: Sql) => sql`to_char(${t} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * RFM measures of each profile with matching events (`id, recency_days, frequency, monetary`).
 * Mirrors rfmMeasures() of the domain package.
 */
export function compileRfmMeasures(definition: Extract<ComputedDefinition, { kind: 'rfm' }>, scope: SegmentScope): Sql {
  const { match, eventsOf, ctes } = eventsIn(scope)
  const money = sql`rl_num(e.properties #> ${path(definition.monetaryProperty)}::text[])`
  return sql`WITH ${ctes}
    SELECT em.survivor AS id,
      floor(extract(epoch FROM (${scope.now.toISOString()}::timestamptz - max(e.timestamp))) / 86400)::double precision AS recency_days,
      count(*)::double precision AS frequency, coalesce(sum(${money}), 0)::double precision AS monetary
    FROM ${eventsOf('e')} WHERE ${match('e', definition)} AND ${windowTest(sql`e.timestamp`, definition.window, scope.now)}
    GROUP BY em.survivor`
}

/** RFM quintile boundaries over the measures (`percentile_disc`, as rfmBands() of the domain package). */
export function compileRfmBands(measures: Sql): Sql {
  const q = sql`ARRAY[0.2, 0.4, 0.6, 0.8]::double precision[]`
  return sql`SELECT coalesce(percentile_disc(${q}) WITHIN GROUP (ORDER BY recency_days), '{}') AS recency,
    coalesce(percentile_disc(${q}) WITHIN GROUP (ORDER BY frequency), '{}') AS frequency,
    coalesce(percentile_disc(${q}) WITHIN GROUP (ORDER BY monetary), '{}') AS monetary FROM (${measures}) AS m`
}

/**
 * Compiles a computed property to one query of `(id, value jsonb)` for the profiles of the scope
 * that have a value (the others hold the empty value). RFM scores against the given bands, or
 * (`'compute'`) against bands taken from the scope, which each row then carries as `bands` jsonb.
 * Mirrors computeValue() of the domain package.
 */
export function compileComputed(definition: ComputedDefinition, scope: SegmentScope, bands?: RfmBands | 'compute'): Sql {
  const { now } = scope
  const { match, eventsOf, ctes } = eventsIn(scope)
  const matching = sql`FROM ${eventsOf('e')} WHERE ${match('e', definition)} AND ${windowTest(sql`e.timestamp`, definition.window, now)}`
  switch (definition.kind) {
    case 'rfm': {
      // Bands given (incremental upkeep), or taken in the same statement from the measures of
      // every profile in scope (a full computation): the rows then carry them as `bands`.
      const measures = compileRfmMeasures(definition, scope)
      const b =
        bands === 'compute'
          ? { recency: sql`b.recency`, frequency: sql`b.frequency`, monetary: sql`b.monetary` }
          : {
              recency: sql`${bands?.recency ?? []}::double precision[]`,
              frequency: sql`${bands?.frequency ?? []}::double precision[]`,
              monetary: sql`${bands?.monetary ?? []}::double precision[]`,
            }
      // How many of the (four, or no) boundaries a measure is above: plain arithmetic, as the
      // scores are read several times per row (a subquery each time cost more than the scan).
      const above = (x: Sql, bounds: Sql) =>
        sql`(${sql.join(
          [1, 2, 3, 4].map((i) => sql`coalesce((${x} > (${bounds})[${sql.lit(i)}])::int, 0)`),
          sql` + `,
        )})`
      const scored = (
        from: Sql,
      ) => sql`SELECT id, jsonb_build_object('recency_days', recency_days, 'frequency', frequency, 'monetary', monetary, 'r', r, 'f', f, 'm', m,
          'score', concat(r, f, m), 'group', (${RFM_GRID.flat()}::text[])[(5 - r) * 5 + f]) AS value${bands === 'compute' ? sql`, bands` : sql``}
        FROM (SELECT s.*, (5 - ${above(sql`s.recency_days`, b.recency)})::int AS r, (1 + ${above(sql`s.frequency`, b.frequency)})::int AS f, (1 + ${above(sql`s.monetary`, b.monetary)})::int AS m
              ${bands === 'compute' ? sql`, to_jsonb(b) AS bands` : sql``} FROM ${from}) AS scored`
      if (bands !== 'compute') return scored(sql`(${measures}) AS s`)
      // The bands are taken once: inlined, PostgreSQL was seen to put them on the inner side of the
      // join and sort every profile's measures again for each profile (minutes at 50,000 customers).
      return sql`WITH measures AS MATERIALIZED (${measures}), bands AS MATERIALIZED (${compileRfmBands(sql`SELECT * FROM measures`)})
        ${scored(sql`measures AS s CROSS JOIN bands AS b`)}`
    }
    case 'interval':
      return sql`WITH ${ctes} SELECT em.survivor AS id,
          to_jsonb((extract(epoch FROM max(e.timestamp) - min(e.timestamp)) * 1000 / (86400000 * (count(*) - 1)))::double precision) AS value
        ${matching} GROUP BY em.survivor HAVING count(*) >= 2`
    case 'aggregate': {
      const { aggregate, property } = definition
      if (aggregate === 'first' || aggregate === 'last') {
        const order = aggregate === 'first' ? sql`e.timestamp, e.id` : sql`e.timestamp DESC, e.id DESC`
        const prop = sql`e.properties #> ${path(property ?? '')}::text[]`
        const value = property ? prop : sql`to_jsonb(${utcText(sql`e.timestamp`)})`
        const present = property ? sql`AND jsonb_typeof(${prop}) <> 'null'` : sql``
        return sql`WITH ${ctes} SELECT DISTINCT ON (em.survivor) em.survivor AS id, ${value} AS value ${matching} ${present} ORDER BY em.survivor, ${order}`
      }
      const num = sql`rl_num(e.properties #> ${path(property ?? '')}::text[])`
      const x = {
        count: sql`count(*)::double precision`,
        sum: sql`coalesce(sum(${num}), 0)`,
        avg: sql`avg(${num})`,
        min: sql`min(${num})`,
        max: sql`max(${num})`,
      }[aggregate]
      return sql`WITH ${ctes} SELECT id, to_jsonb(x) AS value FROM (SELECT em.survivor AS id, ${x} AS x ${matching} GROUP BY em.survivor) AS g WHERE x IS NOT NULL`
    }
  }
}
