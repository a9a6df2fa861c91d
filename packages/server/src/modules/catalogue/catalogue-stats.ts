import { observedType, planViolation, type ObservedType, type TrackingPlan } from '@reachloop/domain'
import type { LogEvent } from '../../platform/event-log/event-log.js'

/** Values kept per property or trait: the top ones shown, from a somewhat longer list of candidates (see mergeTopValues). */
export const TOP_VALUES_SHOWN = 20
export const TOP_VALUE_CANDIDATES = 50
/** A value longer than this is kept cut (values are for picking, not for storage). */
const MAX_VALUE_LENGTH = 100
/** Paths looked at per event and keys per nested object: a payload of thousands of keys is not a catalogue. */
const MAX_PATHS_PER_EVENT = 200
const MAX_NESTED_KEYS = 50
/** Distinct values counted per path in one batch; past it new values are not counted (the top ones are long in). */
const MAX_VALUES_PER_BATCH = 1000

/**
 * Paths whose values are personal (phones, emails, addresses, plates, ids of people… and, of traits,
 * names): the catalogue keeps their types and shares but none of their values, so it holds nothing
 * an erasure would have to find (erasure also drops values equal to an erased identifier).
 */
const PERSONAL =
  /phone|mobile|e_?mail|address|birthday|birth_?date|avatar|plate|password|token|id_?card|passport|(^|\.)(user_?id|anonymous_?id|ip)$/i
const PERSONAL_TRAIT = /(^|_|\.)(name|first_?name|last_?name|user_?name|nick_?name|real_?name)$/i

/** Whether the catalogue keeps top values of a path (of an event's properties, or of traits). */
export const keepsValues = (kind: 'property' | 'trait', path: string): boolean =>
  !PERSONAL.test(path) && !(kind === 'trait' && PERSONAL_TRAIT.test(path))

/** What a batch says of one property or trait. */
export interface PathStats {
  types: Map<ObservedType, number>
  count: number
  values: Map<string, number>
  first: Date
  last: Date
}

/** What a batch says of one event name (or of identify calls, for traits). */
export interface EventStats {
  kind: 'property' | 'trait'
  count: number
  first: Date
  last: Date
  violations: number
  lastViolation: { reason: string; at: Date } | null
  paths: Map<string, PathStats>
}

/** A batch of one workspace, aggregated: per event name, and `traits` for identify calls. */
export interface WorkspaceStats {
  events: Map<string, EventStats>
  traits: EventStats | null
}

const newEventStats = (kind: 'property' | 'trait', at: Date): EventStats => ({
  kind,
  count: 0,
  first: at,
  last: at,
  violations: 0,
  lastViolation: null,
  paths: new Map(),
})

function observe(stats: EventStats, path: string, value: unknown, at: Date): void {
  const type = observedType(value)
  if (type === null) return
  let p = stats.paths.get(path)
  if (!p) {
    p = { types: new Map(), count: 0, values: new Map(), first: at, last: at }
    stats.paths.set(path, p)
  }
  p.count++
  p.types.set(type, (p.types.get(type) ?? 0) + 1)
  if (at < p.first) p.first = at
  if (at > p.last) p.last = at
  if ((type === 'string' || type === 'number' || type === 'boolean') && keepsValues(stats.kind, path)) {
    const text = String(value).slice(0, MAX_VALUE_LENGTH)
    const n = p.values.get(text)
    if (n !== undefined) p.values.set(text, n + 1)
    else if (p.values.size < MAX_VALUES_PER_BATCH) p.values.set(text, 1)
  }
}

/** Counts an event's properties (or traits): top level, and one level into objects (`parent.child`). */
function observeAll(stats: EventStats, payload: Record<string, unknown>, at: Date): void {
  let paths = 0
  for (const [key, value] of Object.entries(payload)) {
    if (++paths > MAX_PATHS_PER_EVENT) return
    observe(stats, key, value, at)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue
    let nested = 0
    for (const [child, inner] of Object.entries(value as Record<string, unknown>)) {
      if (++nested > MAX_NESTED_KEYS || ++paths > MAX_PATHS_PER_EVENT) break
      observe(stats, `${key}.${child}`, inner, at)
    }
  }
}

function touch(stats: EventStats, at: Date): void {
  stats.count++
  if (at < stats.first) stats.first = at
  if (at > stats.last) stats.last = at
}

/**
 * Aggregates a consumer batch in memory, per workspace: events by name with their properties, identify
 * calls' traits, and the events that break their tracking plan (those the plan let in: mode `accept`).
 */
export function aggregateBatch(
  events: readonly LogEvent[],
  plansOf: (workspaceId: string) => ReadonlyMap<string, TrackingPlan>,
): Map<string, WorkspaceStats> {
  const byWorkspace = new Map<string, WorkspaceStats>()
  for (const e of events) {
    let ws = byWorkspace.get(e.workspaceId)
    if (!ws) {
      ws = { events: new Map(), traits: null }
      byWorkspace.set(e.workspaceId, ws)
    }
    const at = e.timestamp
    if (e.type === 'identify') {
      ws.traits ??= newEventStats('trait', at)
      touch(ws.traits, at)
      observeAll(ws.traits, e.traits, at)
      continue
    }
    if (e.type !== 'track' || !e.name) continue
    let stats = ws.events.get(e.name)
    if (!stats) {
      stats = newEventStats('property', at)
      ws.events.set(e.name, stats)
    }
    touch(stats, at)
    observeAll(stats, e.properties, at)
    const plan = plansOf(e.workspaceId).get(e.name)
    const violation = plan ? planViolation(plan, e.properties) : null
    if (violation) {
      stats.violations++
      if (!stats.lastViolation || e.receivedAt >= stats.lastViolation.at)
        stats.lastViolation = { reason: violation.reason, at: e.receivedAt }
    }
  }
  return byWorkspace
}

/**
 * Merges a batch's value counts into the stored top list. Approximate, and cheap: the stored list keeps
 * `TOP_VALUE_CANDIDATES` values with their counts; a batch adds its counts to those it holds and brings
 * its own values in, and the list is cut back to the most frequent. A value's count is exact while it
 * stays in the list; one that drops out and comes back starts again from its new batches, so rare values
 * are undercounted and a value that is frequent overall but spread thin can be missed.
 */
export function mergeTopValues(
  stored: ReadonlyArray<readonly [string, number]>,
  batch: ReadonlyMap<string, number>,
): Array<[string, number]> {
  const merged = new Map<string, number>(stored.map(([v, n]) => [v, n]))
  for (const [v, n] of batch) merged.set(v, (merged.get(v) ?? 0) + n)
  return [...merged].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_VALUE_CANDIDATES)
}
