/** A calendar day as `YYYY-MM-DD`: a day in some time zone, not an instant. */
export type CalendarDay = string

const DAY_MS = 86_400_000
/** Every time zone's offset is a whole number of quarter hours, so one quarter hour lies in one day. */
const SLOT_MS = 15 * 60_000
const formatters = new Map<string, Intl.DateTimeFormat>()
const slots = new Map<string, Map<number, CalendarDay>>()

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * The calendar day an instant falls on in a time zone. Cheap enough to call per event: the answer
 * is remembered per quarter hour (a zone's offset changes only at whole quarter hours).
 *
 * @example
 * dayInZone(new Date('2026-05-01T17:30:00Z'), 'Asia/Shanghai') // '2026-05-02'
 */
export function dayInZone(at: Date | number, timeZone: string): CalendarDay {
  const ms = typeof at === 'number' ? at : at.getTime()
  const slot = Math.floor(ms / SLOT_MS)
  let known = slots.get(timeZone)
  if (!known) {
    known = new Map()
    slots.set(timeZone, known)
  }
  let day = known.get(slot)
  if (day === undefined) {
    // A year of slots per zone at most; past that, start over rather than grow without bound.
    if (known.size > 40_000) known.clear()
    day = formatterOf(timeZone).format(new Date(slot * SLOT_MS))
    known.set(slot, day)
  }
  return day
}

/**
 * The day `n` days after `day` (before, for a negative `n`).
 *
 * @example
 * addDays('2026-03-01', -1) // '2026-02-28'
 */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Every day from `from` to `to`, both included (none when `to` is before `from`).
 *
 * @example
 * daysBetween('2026-02-27', '2026-03-01') // ['2026-02-27', '2026-02-28', '2026-03-01']
 */
export function daysBetween(from: CalendarDay, to: CalendarDay): CalendarDay[] {
  const days: CalendarDay[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}
