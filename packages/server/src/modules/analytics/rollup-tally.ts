import { dayInZone, PROFILE_CREATED, PROFILES_MERGED, type StandardEvent } from '@reachloop/domain'
import type { LogEvent } from '../../platform/event-log/event-log.js'
import type { RollupMetric } from '../../platform/analytics/workspace-rollups.js'

/** The event whose count and `total` make orders and revenue. */
export const ORDER_COMPLETED = 'Order Completed' satisfies StandardEvent
/** The event whose `total` (the amount refunded) is taken off the revenue of its day. */
export const ORDER_REFUNDED = 'Order Refunded' satisfies StandardEvent

/** Calls that count as a customer doing something (an identify or an import of profiles does not). */
const ACTIVITY_TYPES = new Set(['track', 'page', 'screen'])

/** A figure to add to a day's metric under a key. */
export interface DailyDelta {
  workspaceId: string
  metric: RollupMetric
  day: string
  key: string
  value: number
}

/** A batch of the log, aggregated in memory: what the consumer writes in a few statements. */
export interface Tally {
  /** Figures by `workspace · metric · day · key`: one row each, whatever the number of events. */
  daily: Map<string, DailyDelta>
  /** Active customers by `workspace · day · profile`. */
  active: Map<string, { workspaceId: string; day: string; profileId: string }>
  /** Profiles first seen (`Profile Created`), with the day of their first event. */
  born: Array<{ workspaceId: string; profileId: string; day: string }>
  /** Profiles merged into others, with their survivor. */
  merges: Array<{ workspaceId: string; mergedId: string; survivorId: string }>
}

export const emptyTally = (): Tally => ({ daily: new Map(), active: new Map(), born: [], merges: [] })

/** Adds `value` to a day's metric under `key`. */
export function addDaily(tally: Tally, delta: DailyDelta): void {
  const id = `${delta.workspaceId}\u0000${delta.metric}\u0000${delta.day}\u0000${delta.key}`
  const known = tally.daily.get(id)
  if (known) known.value += delta.value
  else tally.daily.set(id, { ...delta })
}

/** An order's total in minor units, when it is a finite number (docs/events.md: money in minor units). */
function totalOf(properties: Record<string, unknown>): number | undefined {
  const total = properties.total
  return typeof total === 'number' && Number.isFinite(total) ? Math.round(total) : undefined
}

const currencyOf = (properties: Record<string, unknown>): string =>
  typeof properties.currency === 'string' && /^[A-Z]{3}$/.test(properties.currency) ? properties.currency : ''

/**
 * Adds one workspace's events to the tally, each on its day in the workspace's time zone.
 * `survivorOf` maps each event's profile to the profile it is now (a merge may have moved it); a
 * profile missing from it was erased, and counts as nobody's activity.
 */
export function tallyEvents(
  tally: Tally,
  workspaceId: string,
  timeZone: string,
  events: readonly LogEvent[],
  survivorOf: ReadonlyMap<string, string>,
): void {
  for (const e of events) {
    const day = dayInZone(e.timestamp, timeZone)
    const add = (metric: RollupMetric, key: string, value = 1) => addDaily(tally, { workspaceId, metric, day, key, value })
    if (e.name !== null) add('named', e.name)
    if (e.name === PROFILE_CREATED) tally.born.push({ workspaceId, profileId: e.profileId, day })
    else if (e.name === PROFILES_MERGED && typeof e.properties.merged_profile_id === 'string')
      tally.merges.push({
        workspaceId,
        mergedId: e.properties.merged_profile_id,
        survivorId: survivorOf.get(e.profileId) ?? e.profileId,
      })
    // Internal events (Profile Created, Segment Entered…) come through no source: they are not calls.
    if (e.sourceId === null) continue
    add('events', e.sourceId)
    if (e.name === ORDER_COMPLETED) {
      add('orders', '')
      const total = totalOf(e.properties)
      if (total !== undefined) add('revenue', currencyOf(e.properties), total)
    } else if (e.name === ORDER_REFUNDED) {
      const refunded = totalOf(e.properties)
      if (refunded !== undefined) add('revenue', currencyOf(e.properties), -Math.abs(refunded))
    }
    const profileId = survivorOf.get(e.profileId)
    if (profileId && ACTIVITY_TYPES.has(e.type))
      tally.active.set(`${workspaceId}\u0000${day}\u0000${profileId}`, { workspaceId, day, profileId })
  }
}
