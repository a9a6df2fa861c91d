import type { BroadcastSchedule } from './broadcasts-contract.js'
import { instantAt, localTimeOf, minuteOfDayOf } from './local-time.js'

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * The next run of a broadcast strictly after `after` (or at it, for `now`), in the workspace's
 * time zone; null when a one-off has run. Monthly runs on a day past the month's end run on its
 * last day (31 → 30 April, 28 or 29 February).
 *
 * @example
 * nextBroadcastRun({ kind: 'daily', time: '10:00' }, new Date('2026-12-01T03:00:00Z'), 'Asia/Shanghai')
 * // 2026-12-02T02:00:00Z (10:00 the next day in Shanghai)
 */
export function nextBroadcastRun(schedule: BroadcastSchedule, after: Date, zone: string, first = false): Date | null {
  switch (schedule.kind) {
    case 'now':
      return first ? after : null
    case 'once': {
      const at = new Date(schedule.at)
      return first ? at : null
    }
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const minute = minuteOfDayOf(schedule.time)
      const today = localTimeOf(after, zone)
      // Walk local days forward (at most a few months for monthly) until one is allowed and in the future.
      for (let offset = 0; offset < 400; offset++) {
        const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset))
        const year = d.getUTCFullYear()
        const month = d.getUTCMonth() + 1
        const day = d.getUTCDate()
        if (schedule.kind === 'weekly' && !schedule.weekdays.includes(d.getUTCDay())) continue
        if (schedule.kind === 'monthly' && day !== Math.min(schedule.dayOfMonth, daysInMonth(year, month))) continue
        const at = instantAt(zone, year, month, day, minute)
        if (at.getTime() > after.getTime() || (first && at.getTime() === after.getTime())) return at
      }
      return null
    }
  }
}

/**
 * A customer's send time for a broadcast at the customer's local time: the schedule's wall-clock
 * time of the run (in the workspace's zone) on the same day in the customer's zone, or the next
 * day's when that has passed already.
 */
export function localSendTime(runAt: Date, workspaceZone: string, customerZone: string): Date {
  const wall = localTimeOf(runAt, workspaceZone)
  const there = instantAt(customerZone, wall.year, wall.month, wall.day, wall.minuteOfDay)
  if (there.getTime() >= runAt.getTime()) return there
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1))
  return instantAt(customerZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), wall.minuteOfDay)
}
