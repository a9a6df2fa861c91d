import { DateTime } from 'luxon'

/**
 * How segment conditions read values out of traits and event properties. The SQL path (functions
 * `rl_num`, `rl_instant` of the segments migration) reads them the same way; a property test holds
 * the two together.
 */

/**
 * A value at a dotted path (`address.city`, `products.0.price`), or undefined. Like PostgreSQL's
 * `#>`: a whole-number key indexes an array (negative from its end).
 */
export function readPath(value: unknown, path: string): unknown {
  let current = value
  for (const key of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^-?[0-9]+$/.test(key)) return undefined
      current = current.at(Number(key))
    } else if (current !== null && typeof current === 'object')
      current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined
    else return undefined
  }
  return current
}

const NUMERIC_TEXT = /^-?[0-9]+(\.[0-9]+)?$/

/** A JSON number, or a string of plain decimal digits; anything else is not a number. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value)
  return null
}

/** Only JSON strings are text (a number is not read as text). */
export const asText = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** Only JSON booleans are booleans. */
export const asBoolean = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null)

// Years 1000–9999, real hours and minutes, milliseconds at most: what both engines read alike.
const DATE = '[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}'
const TIME = '[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?'
/** A calendar date or a local date-time: read in the profile's time zone. */
export const LOCAL_INSTANT = new RegExp(`^${DATE}(${TIME})?$`)
/** A date-time with `Z` or an offset. */
export const OFFSET_INSTANT = new RegExp(`^${DATE}${TIME}(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$`)

/** The instant a date value stands for, in milliseconds: dates and local times are read in `timeZone`. */
export function asInstant(value: unknown, timeZone: string): number | null {
  if (typeof value !== 'string') return null
  let parsed: DateTime | undefined
  if (LOCAL_INSTANT.test(value)) parsed = DateTime.fromISO(value.replace(' ', 'T'), { zone: timeZone })
  else if (OFFSET_INSTANT.test(value)) parsed = DateTime.fromISO(value.replace(' ', 'T'), { setZone: true })
  return parsed?.isValid ? parsed.toMillis() : null
}

/** The calendar date (`MM-dd`) of an instant in a time zone. */
export const monthDayOf = (instant: number, timeZone: string): string => DateTime.fromMillis(instant, { zone: timeZone }).toFormat('MM-dd')

/** Today's date in a time zone, as `yyyy-MM-dd`. */
export const dateIn = (instant: number, timeZone: string): string => DateTime.fromMillis(instant, { zone: timeZone }).toISODate() ?? ''

/** The `MM-dd` of each of `days + 1` days starting at the date `yyyy-MM-dd`. */
export function monthDaysFrom(date: string, days: number): string[] {
  const start = DateTime.fromISO(date, { zone: 'UTC' })
  return Array.from({ length: days + 1 }, (_, k) => start.plus({ days: k }).toFormat('MM-dd'))
}

export const DAY_MS = 86_400_000
