import { compare, DAY_MS, subscriptionGroupOf, type Condition, type SegmentNode } from '@reachloop/domain'
import { sql } from 'kysely'
import { consentKind } from './consent-kind.js'
import { eventsIn, type SegmentScope } from './scope-sql.js'
import { at, comparison, path, valueTest, windowStart, windowTest, type Sql } from './value-sql.js'

export type { SegmentScope } from './scope-sql.js'

/** What conditions compile against: the scope, its events, and a test on each live profile. */
type Compiler = ReturnType<typeof eventsIn> & {
  scope: SegmentScope
  /** A trait-like test on each live profile, read in the profile's own zone. */
  profileTest(test: (traits: Sql, zone: Sql) => Sql, join?: Sql): Sql
}

function compiler(scope: SegmentScope): Compiler {
  const events = eventsIn(scope)
  // Traits and the live filter in one scan of profiles: identity's liveProfilesSql holds ids only,
  // and joining it back to profiles for the traits would hash a million profiles per condition.
  return {
    ...events,
    scope,
    profileTest: (test, join = sql``) => sql`SELECT p.id FROM profiles p LEFT JOIN time_zones z ON z.name = p.traits ->> 'timezone' ${join}
    WHERE p.workspace_id = ${scope.workspaceId} AND p.merged_into IS NULL ${events.restrict} AND ${test(sql`p.traits`, sql`coalesce(z.name, ${events.wsZone})`)}`,
  }
}

/** An aggregate of events compared to a value (count, sum, avg, min, max). */
function eventCondition(c: Extract<Condition, { kind: 'event' }>, cx: Compiler): Sql {
  const { now } = cx.scope
  const { match, eventsOf } = cx
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

/** "Did A then B within T" (or "A and not B within T"). */
function sequenceCondition(c: Extract<Condition, { kind: 'sequence' }>, cx: Compiler): Sql {
  const { now } = cx.scope
  const { match, eventsOf } = cx
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
    c.mode === 'then' ? sql`next_then IS NOT NULL AND next_then <= ts + ${span}` : sql`(next_then IS NULL OR next_then >= ts + ${span})`
  return sql`SELECT DISTINCT id FROM (${paired}) AS s WHERE is_first AND ${found}`
}

/** One condition as a query of profile `id`s. */
function conditionSql(c: Condition, cx: Compiler): Sql {
  const { now, workspaceId } = cx.scope
  const { match, eventsOf, profileTest } = cx
  switch (c.kind) {
    case 'trait':
      // Straight from profiles: the shared `base` holds ids only, so it stays small at a million profiles.
      return profileTest((traits, zone) => valueTest(sql`${traits} #> ${path(c.trait)}::text[]`, zone, c, now))
    case 'subscription': {
      // Consent is messaging's: its registered fragment reads its tables.
      const group = subscriptionGroupOf(c)
      return group === undefined
        ? sql`SELECT id FROM base WHERE false`
        : consentKind().sql({ workspaceId, group, state: c.state, base: sql`base` })
    }
    case 'computed': {
      // A profile without a stored value holds the property's empty value (0 for count and sum).
      const join = sql`CROSS JOIN (SELECT empty_value FROM computed_properties WHERE id = ${c.propertyId} AND workspace_id = ${workspaceId}) cp
        LEFT JOIN computed_values cv ON cv.computed_property_id = ${c.propertyId} AND cv.profile_id = p.id`
      const value = sql`coalesce(cv.value, cp.empty_value)`
      return profileTest((_traits, zone) => valueTest(c.part ? sql`${value} -> ${c.part}::text` : value, zone, c, now), join)
    }
    case 'event':
      return eventCondition(c, cx)
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
    case 'sequence':
      return sequenceCondition(c, cx)
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

/**
 * Compiles a segment definition to one SQL query returning the `id`s of the live profiles that
 * match, evaluated set-wise: each condition is a set of profile ids, AND / OR / NOT are
 * INTERSECT / UNION / EXCEPT. Events of merged profiles count for their survivor. Mirrors
 * evaluateSegment() of the domain package.
 */
export function compileSegment(definition: SegmentNode, scope: SegmentScope): Sql {
  const cx = compiler(scope)
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
        return conditionSql(n, cx)
    }
  }
  return sql`WITH ${cx.ctes} ${node(definition)}`
}
