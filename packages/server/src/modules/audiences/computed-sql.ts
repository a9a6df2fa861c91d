import { RFM_GRID, type ComputedDefinition, type RfmBands } from '@reachloop/domain'
import { sql } from 'kysely'
import { eventsIn, type SegmentScope } from './scope-sql.js'
import { path, windowTest, type Sql } from './value-sql.js'

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
