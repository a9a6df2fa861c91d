/**
 * Wall-clock arithmetic in a time zone, for quiet hours, caps counted per local day and sends at
 * the customer's local time. Built on `Intl` (no tz database of our own), exact across DST changes.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    formatters.set(zone, f)
  }
  return f
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The wall clock in `zone` at `instant`: date parts, minutes since local midnight and weekday (0 = Sunday). */
export interface LocalTime {
  year: number
  month: number
  day: number
  minuteOfDay: number
  weekday: number
}

export function localTimeOf(instant: Date, zone: string): LocalTime {
  const parts: Record<string, string> = {}
  for (const p of formatterOf(zone).formatToParts(instant)) parts[p.type] = p.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
  }
}

/** The offset of `zone` from UTC at `instant`, in minutes (Asia/Shanghai: +480). */
function offsetMinutes(instant: Date, zone: string): number {
  const t = localTimeOf(instant, zone)
  const asUtc = Date.UTC(t.year, t.month - 1, t.day) + t.minuteOfDay * 60_000
  const truncated = Math.floor(instant.getTime() / 60_000) * 60_000
  return Math.round((asUtc - truncated) / 60_000)
}

/**
 * The instant when the wall clock in `zone` reads `year-month-day` at `minuteOfDay`. A time that
 * a DST change skips resolves to the instant just after the gap; an ambiguous one to its first.
 */
export function instantAt(zone: string, year: number, month: number, day: number, minuteOfDay: number): Date {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000
  // The offsets half a day either side cover any single change; a candidate is right when it reads back as the wall time.
  const before = wall - offsetMinutes(new Date(wall - 43_200_000), zone) * 60_000
  const after = wall - offsetMinutes(new Date(wall + 43_200_000), zone) * 60_000
  const readsBack = (t: number) => {
    const local = localTimeOf(new Date(t), zone)
    return Date.UTC(local.year, local.month - 1, local.day) + local.minuteOfDay * 60_000 === wall
  }
  const matching = [before, after].filter(readsBack).sort((a, b) => a - b)
  // No candidate reads back: the wall time is in a gap, and the offset before it lands just after.
  return new Date(matching[0] ?? before)
}

/** The first instant of the local day holding `instant` in `zone`. */
export function startOfLocalDay(instant: Date, zone: string): Date {
  const t = localTimeOf(instant, zone)
  return instantAt(zone, t.year, t.month, t.day, 0)
}

/** `HH:MM` as minutes since midnight. */
export function minuteOfDayOf(hhmm: string): number {
  const [h, m] = hhmm.split(':')
  return Number(h) * 60 + Number(m)
}

/** Adds whole local days to a date (month and year roll over as the calendar does). */
function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** The next instant at or after `from` when the wall clock in `zone` reads `minuteOfDay`. */
export function nextLocalTime(from: Date, zone: string, minuteOfDay: number): Date {
  const t = localTimeOf(from, zone)
  const today = instantAt(zone, t.year, t.month, t.day, minuteOfDay)
  if (today.getTime() >= from.getTime()) return today
  const next = addDays(t.year, t.month, t.day, 1)
  return instantAt(zone, next.year, next.month, next.day, minuteOfDay)
}

/** Quiet hours: a local window in which marketing messages wait (`delay`) or are not sent (`drop`). */
export interface QuietHours {
  enabled: boolean
  /** `HH:MM`, local to the profile. */
  start: string
  end: string
  action: 'delay' | 'drop'
}

/**
 * Whether `instant` falls in the quiet window in `zone`, and if so when it ends. A window whose
 * start is after its end (21:00–08:00) spans midnight.
 *
 * @example
 * quietUntil(new Date('2026-12-01T14:30:00Z'), 'Asia/Shanghai', { enabled: true, start: '21:00', end: '08:00', action: 'delay' })
 * // 22:30 in Shanghai: quiet until 2026-12-02T00:00:00Z (08:00 local)
 */
export function quietUntil(instant: Date, zone: string, quiet: QuietHours): Date | null {
  if (!quiet.enabled) return null
  const start = minuteOfDayOf(quiet.start)
  const end = minuteOfDayOf(quiet.end)
  if (start === end) return null
  const now = localTimeOf(instant, zone).minuteOfDay
  const inside = start < end ? now >= start && now < end : now >= start || now < end
  return inside ? nextLocalTime(instant, zone, end) : null
}
