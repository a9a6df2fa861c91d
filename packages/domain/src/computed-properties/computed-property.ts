import { Type, type TSchema } from '@sinclair/typebox'
import {
  EventMatch,
  EventWindow,
  checkEventMatch,
  checkWindow,
  RELATIVE_DATE_OPS,
  type DefinitionProblem,
} from '../segments/segment-definition.js'
import { inWindow, matchesEvent, type FactEvent } from '../segments/evaluate.js'
import { asNumber, DAY_MS, readPath } from '../segments/values.js'

const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })
const Name = Type.String({ minLength: 1, maxLength: 200 })

/** What an aggregate keeps: a measure of a numeric property, or the first / last value of a property (or when). */
export const COMPUTED_AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'first', 'last'] as const
export type ComputedAggregate = (typeof COMPUTED_AGGREGATES)[number]

/**
 * A computed property: a value derived from a profile's events and kept per profile, usable in
 * segment conditions and message templates.
 * - `aggregate`: count / sum / avg / min / max of a numeric property of matching events in a
 *   window, or the first / last value of a property (the instant, without one);
 * - `interval`: the average number of days between consecutive matching events (two at least);
 * - `rfm`: recency (days since the last), frequency (count) and monetary value (sum of a property)
 *   scored 1–5 against the workspace's quintiles, with the named group of the R and F scores.
 */
export const ComputedDefinition = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('aggregate'),
      ...EventMatch.properties,
      window: EventWindow,
      aggregate: literals(COMPUTED_AGGREGATES),
      property: Type.Optional(Name),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('interval'), ...EventMatch.properties, window: EventWindow }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('rfm'), ...EventMatch.properties, window: EventWindow, monetaryProperty: Name },
    { additionalProperties: false },
  ),
]) as unknown as TSchema & { static: ComputedDefinition }
export type ComputedDefinition =
  | {
      kind: 'aggregate'
      event: string
      filters: EventMatch['filters']
      window: EventWindow
      aggregate: ComputedAggregate
      property?: string
    }
  | { kind: 'interval'; event: string; filters: EventMatch['filters']; window: EventWindow }
  | { kind: 'rfm'; event: string; filters: EventMatch['filters']; window: EventWindow; monetaryProperty: string }

/**
 * Named RFM groups by R score (rows, 5 down to 1) and F score (columns, 1 to 5): the usual grid of
 * RFM analysis, without overlaps.
 */
export const RFM_GRID = [
  ['new_customers', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions'],
  ['promising', 'potential_loyalists', 'potential_loyalists', 'loyal_customers', 'champions'],
  ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal_customers', 'loyal_customers'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  ['lost', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
] as const
export type RfmGroup = (typeof RFM_GRID)[number][number]
export const RFM_GROUPS = [...new Set(RFM_GRID.flat())] as RfmGroup[]

/** The workspace's quintile boundaries (20th, 40th, 60th and 80th percentile) of each measure. */
export interface RfmBands {
  recency: number[]
  frequency: number[]
  monetary: number[]
}

/** A profile's RFM measures before scoring. */
export interface RfmMeasures {
  recency_days: number
  frequency: number
  monetary: number
}

export type RfmValue = RfmMeasures & { r: number; f: number; m: number; score: string; group: RfmGroup }

/** Checks what the schema cannot; an empty list means the definition can be saved. */
export function checkComputedDefinition(definition: ComputedDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  checkEventMatch(definition, '', problems)
  checkWindow(definition.window, 'window', problems)
  if (definition.kind === 'aggregate' && ['sum', 'avg', 'min', 'max'].includes(definition.aggregate) && !definition.property)
    problems.push({ path: 'property', message: `${definition.aggregate} needs a numeric property` })
  return problems
}

/** The value a profile without matching events has: 0 for count and sum, none otherwise. */
export const emptyComputedValue = (definition: ComputedDefinition): number | null =>
  definition.kind === 'aggregate' && (definition.aggregate === 'count' || definition.aggregate === 'sum') ? 0 : null

/** Whether the value changes with time alone (a sliding window, or recency). */
export const computedChangesWithTime = (definition: ComputedDefinition): boolean =>
  definition.kind === 'rfm' || definition.window.type === 'last' || definition.filters.some((f) => RELATIVE_DATE_OPS.includes(f.op))

/** `percentile_disc` of PostgreSQL: the first value whose position reaches the fraction. */
function percentileDisc(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0
}

/** Quintile boundaries of the measures of every profile that has some. */
export function rfmBands(measures: readonly RfmMeasures[]): RfmBands {
  const bands = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b)
    return sorted.length === 0 ? [] : [0.2, 0.4, 0.6, 0.8].map((q) => percentileDisc(sorted, q))
  }
  return {
    recency: bands(measures.map((m) => m.recency_days)),
    frequency: bands(measures.map((m) => m.frequency)),
    monetary: bands(measures.map((m) => m.monetary)),
  }
}

/** Scores measures against bands: the more recent, frequent and valuable, the higher (1–5; above a boundary scores above it). */
export function scoreRfm(measures: RfmMeasures, bands: RfmBands): RfmValue {
  const r = 5 - bands.recency.filter((t) => t < measures.recency_days).length
  const f = 1 + bands.frequency.filter((t) => measures.frequency > t).length
  const m = 1 + bands.monetary.filter((t) => measures.monetary > t).length
  const group = RFM_GRID[5 - r]?.[f - 1] ?? 'lost'
  return { ...measures, r, f, m, score: `${r}${f}${m}`, group }
}

/** The events a computed property looks at (dates in filters are read in the workspace's zone). */
function matching(definition: ComputedDefinition, events: readonly FactEvent[], now: number, zone: string): FactEvent[] {
  return events
    .filter((e) => inWindow(e.timestamp, definition.window, now) && matchesEvent(e, definition, now, zone))
    .sort((a, b) => a.timestamp - b.timestamp || a.id - b.id)
}

/** RFM measures of a profile's events, or null without any. */
export function rfmMeasures(
  definition: Extract<ComputedDefinition, { kind: 'rfm' }>,
  events: readonly FactEvent[],
  now: number,
  zone: string,
): RfmMeasures | null {
  const list = matching(definition, events, now, zone)
  const last = list.at(-1)
  if (!last) return null
  const monetary = list.map((e) => asNumber(readPath(e.properties, definition.monetaryProperty))).reduce<number>((a, b) => a + (b ?? 0), 0)
  return { recency_days: Math.floor((now - last.timestamp) / DAY_MS), frequency: list.length, monetary }
}

/**
 * A profile's value of a computed property, in memory (the server computes it in SQL for whole
 * workspaces; a property test holds the two together). Null when it has none.
 */
export function computeValue(
  definition: ComputedDefinition,
  events: readonly FactEvent[],
  context: { now: number; timeZone: string; bands?: RfmBands },
): unknown {
  const { now, timeZone } = context
  if (definition.kind === 'rfm') {
    const measures = rfmMeasures(definition, events, now, timeZone)
    return measures && context.bands ? scoreRfm(measures, context.bands) : null
  }
  const list = matching(definition, events, now, timeZone)
  if (definition.kind === 'interval') {
    const first = list[0]
    const last = list.at(-1)
    return first && last && list.length >= 2 ? (last.timestamp - first.timestamp) / (DAY_MS * (list.length - 1)) : null
  }
  const { aggregate, property } = definition
  if (aggregate === 'count') return list.length
  if (aggregate === 'first' || aggregate === 'last') {
    if (!property) {
      const e = aggregate === 'first' ? list[0] : list.at(-1)
      return e ? new Date(e.timestamp).toISOString() : null
    }
    const present = list.map((e) => readPath(e.properties, property)).filter((v) => v !== undefined && v !== null)
    return (aggregate === 'first' ? present[0] : present.at(-1)) ?? null
  }
  const numbers = list.map((e) => asNumber(readPath(e.properties, property ?? ''))).filter((n): n is number => n !== null)
  if (aggregate === 'sum') return numbers.reduce((a, b) => a + b, 0)
  if (numbers.length === 0) return null
  if (aggregate === 'avg') return numbers.reduce((a, b) => a + b, 0) / numbers.length
  return aggregate === 'min' ? Math.min(...numbers) : Math.max(...numbers)
}
