/**
 * The instants the platform accepts: years 0001–9999 in UTC. PostgreSQL stores wider ranges, but
 * only these years are written in ISO form by both engines and JavaScript alike (year 0 and
 * `+010000` are refused by PostgreSQL as text), so an instant outside them cannot make the round
 * trip from a request to the database.
 */
export const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00.000Z')
export const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z')

/**
 * True when milliseconds since the epoch fall within years 0001–9999 (UTC).
 *
 * @example
 * isStorableInstant(Date.parse('2024-05-01T00:00:00Z')) // true
 * isStorableInstant(Date.parse('0000-12-31T23:00:00Z')) // false
 */
export const isStorableInstant = (ms: number): boolean => Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS

// A date, or a date and time with an optional `Z` or offset: what ISO 8601 writes and PostgreSQL reads.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:[Zz]|[+-](?:0\d|1[0-4]):?[0-5]\d)?)?$/

/**
 * The instant an ISO 8601 date or date-time names, in milliseconds, or null when the text is not
 * one, names a day the calendar lacks (`2024-02-30`), or falls outside years 0001–9999 in UTC.
 *
 * @example
 * parseIsoInstant('2024-05-01T08:00:00+08:00') // 1714521600000
 * parseIsoInstant('0000-01-01T00:00:00Z') // null
 */
export function parseIsoInstant(text: unknown): number | null {
  if (typeof text !== 'string') return null
  const parts = ISO_INSTANT.exec(text)
  if (!parts) return null
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  // Day 0 of the next month is the last day of this one (year 0–99 is fine here: only its length matters).
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null
  const ms = Date.parse(text.replace(' ', 'T'))
  return isStorableInstant(ms) ? ms : null
}
