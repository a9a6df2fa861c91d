import { parseIsoInstant, SERIAL_ID_PATTERN } from '@reachloop/domain'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// As serial id parameters: up to 15 digits, a safe integer in JavaScript and within PostgreSQL's bigint.
const SERIAL = new RegExp(SERIAL_ID_PATTERN)

/*
 * Lists page with cursors the server wrote, but a client may send anything back. A cursor that
 * does not decode to what its query compares with — an ISO instant PostgreSQL stores, a uuid, a
 * bigint — starts from the first page, as no cursor does, instead of failing in the database.
 */

/**
 * The id of a cursor that is a serial id (`"1234"`), or undefined.
 *
 * @example
 * serialCursor('1234') // 1234
 * serialCursor('99999999999999999999') // undefined
 */
export const serialCursor = (cursor: string | undefined): number | undefined =>
  cursor !== undefined && SERIAL.test(cursor) ? Number(cursor) : undefined

/**
 * The instant and id of a keyset cursor `<ISO instant>|<id>`, or undefined; `id` says what the id
 * must be (a uuid, or a serial id).
 *
 * @example
 * instantCursor('2024-05-01T00:00:00.000Z|5', 'serial') // { at: 2024-05-01T00:00:00.000Z, id: '5' }
 */
export function instantCursor(cursor: string | undefined, id: 'uuid' | 'serial'): { at: Date; id: string } | undefined {
  const [at = '', key = '', ...rest] = (cursor ?? '').split('|')
  const ms = parseIsoInstant(at)
  if (rest.length > 0 || ms === null || !(id === 'uuid' ? UUID : SERIAL).test(key)) return undefined
  return { at: new Date(ms), id: key }
}
