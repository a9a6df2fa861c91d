import { DAY_MS, monthDaysFrom, WINDOW_UNIT_MS, type Comparison, type EventWindow, type ValueTestLike } from '@reachloop/domain'
import { sql, type RawBuilder } from 'kysely'

/** A piece of compiled SQL. */
export type Sql = RawBuilder<unknown>

export const at = (ms: number) => new Date(ms).toISOString()
export const path = (dotted: string) => dotted.split('.')

/**
 * A value test as SQL over a JSON expression `j` (a trait or property) with the profile's time zone
 * `zone`. Mirrors testValue() of the domain package: a missing or unreadable value fails every test
 * but not_exists.
 */
export function valueTest(j: Sql, zone: Sql, test: ValueTestLike, now: Date): Sql {
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
    case 'anniversary_within_next_days':
      return anniversaryTest(text, instant, zone, test.days ?? 0, now)
    case 'list_contains':
      return sql`(jsonb_typeof(${j}) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(${j}) AS x(value) WHERE x.value = to_jsonb(${String(v)}::text)))`
    case 'list_not_contains':
      return sql`(jsonb_typeof(${j}) = 'array' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${j}) AS x(value) WHERE x.value = to_jsonb(${String(v)}::text)))`
  }
}

export function windowTest(column: Sql, window: EventWindow, now: Date): Sql {
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
export function windowStart(window: EventWindow, now: Date): string | null {
  switch (window.type) {
    case 'ever':
      return null
    case 'last':
      return at(now.getTime() - window.amount * WINDOW_UNIT_MS[window.unit])
    case 'between':
      return window.from
  }
}

export function comparison(x: Sql, c: Comparison, value: number, max?: number): Sql {
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

/**
 * "Anniversary within the next N days" of a date in `text` (its instant `instant`), in the profile's
 * zone `zone`.
 */
function anniversaryTest(text: Sql, instant: Sql, zone: Sql, days: number, now: Date): Sql {
  const nowMs = now.getTime()
  const instantParam = (value: unknown) => sql`${String(value)}::timestamptz`
  // Today, in any time zone, is yesterday, today or tomorrow in UTC: the month-days of the
  // window for each of those three, picked by the profile's own today.
  const utcToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const [d1, d2, d3] = [-1, 0, 1].map((k) => new Date(utcToday + k * DAY_MS).toISOString().slice(0, 10)) as [string, string, string]
  const window = (d: string) => sql`${monthDaysFrom(d, days)}::text[]`
  // A cheap test first: the written month-day is at most two days off the one in any zone
  // (a date-time at -12:00 read at +14:00), so most profiles are ruled out without reading it.
  const near = monthDaysFrom(new Date(utcToday - 3 * DAY_MS).toISOString().slice(0, 10), days + 6)
  return sql`substr(${text}, 6, 5) = ANY(${near}::text[]) AND to_char(${instant} AT TIME ZONE ${zone}, 'MM-DD') = ANY(CASE (${instantParam(at(nowMs))} AT TIME ZONE ${zone})::date WHEN ${d1}::date THEN ${window(d1)} WHEN ${d2}::date THEN ${window(d2)} ELSE ${window(d3)} END)`
}
