/**
 * What the daily rollups count, per workspace and calendar day (in the workspace's time zone when
 * the event was counted), each under a key:
 *
 * - `events`: calls received from a source (identify, track, page…), keyed by source id;
 * - `named`: events of each name, internal ones included, keyed by name;
 * - `customers_new`: customers first seen that day (`Profile Created`, dated by the first event),
 *   among those who are customers still: a profile merged into another, or erased, is taken off its
 *   first day (and a survivor first seen later moves to the merged profile's day), so the sum up
 *   to a day is the customers known by then, without the visitors who turned out to be members;
 * - `orders`: `Order Completed` events;
 * - `revenue`: the sum of their `total` in minor units, keyed by their `currency` (`''` when they
 *   name none, i.e. the workspace's).
 */
export const ROLLUP_METRICS = ['events', 'named', 'customers_new', 'orders', 'revenue'] as const
export type RollupMetric = (typeof ROLLUP_METRICS)[number]

/** A workspace's calendar days from `from` to `to`, both included (`YYYY-MM-DD`). */
export interface DayRange {
  workspaceId: string
  from: string
  to: string
}

/** One rolled-up figure: a metric of a day, under a key. */
export interface DailyValue {
  day: string
  metric: RollupMetric
  key: string
  value: number
}

/** Customers active over a range: per day, and unique over the whole range. */
export interface ActiveCustomers {
  byDay: Array<{ day: string; customers: number }>
  unique: number
}

/**
 * Reads of the small rollups that a log consumer keeps (the analytics module's), so dashboards never
 * scan the event log. A columnar store would answer these from its own tables.
 */
export interface WorkspaceRollups {
  /** The figures of the given metrics between two days, by day and key (no row for a zero). */
  dailyValues(range: DayRange & { metrics: readonly RollupMetric[] }): Promise<DailyValue[]>
  /** Each metric's sum over every day before `before` (e.g. customers before a period starts). */
  totalsBefore(query: { workspaceId: string; before: string; metrics: readonly RollupMetric[] }): Promise<Record<RollupMetric, number>>
  /** Unique profiles with activity (a track, page or screen call) per day and over the range. */
  activeCustomers(range: DayRange): Promise<ActiveCustomers>
  /** The first day any source sent anything, and the source (null while none has). */
  firstSourceEvent(workspaceId: string): Promise<{ day: string; sourceId: string } | null>
}
