/**
 * Values that have broken servers before, for the admin fuzz test: characters PostgreSQL text and
 * jsonb cannot store, dates outside what it stores in ISO form, ids that do not parse, numbers
 * past every column's range, and shapes a naive handler does not expect.
 */

/** Characters PostgreSQL refuses in text (NUL) and in jsonb (NUL, lone UTF-16 surrogates). */
export const POISON_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\udc00\ud800'] as const

/**
 * Timestamps that pass a loose ISO check but not PostgreSQL: year 0, years past 9999 (also once
 * an offset moves them to UTC), days that do not exist.
 */
export const BAD_TIMESTAMPS = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59-01:00',
  '+275000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '1',
  'Sat, 01 Jan 0000 00:00:00 GMT',
] as const

/** Strings that look like ids, cursors or numbers but are not what the column holds. */
export const BAD_TOKENS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000',
  'ffffffff-ffff-ffff-ffff-fffffffffffg',
  '9999999999999999999',
  '99999999999999999999',
  '-1',
  '1e309',
  'NaN',
  '2024-01-01T00:00:00.000Z|not-a-uuid',
  '0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000',
  '2024-01-01T00:00:00.000Z|99999999999999999999',
  'not-a-date|1',
  "' OR 1=1 --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '=HYPERLINK("http://x")',
  '\t=1+1',
  '\u202e',
  '😀',
  ' ',
  '',
] as const

/** Numbers past the ranges of integer columns, schemas and JavaScript's safe integers. */
export const BAD_NUMBERS = [-1, 0, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e21, 1e308, -1e308, 36_501, 1_000_001] as const

/** Values of every JSON type, for a position that expects another. */
export const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, 'text', [], {}, [null], { a: 1 }, ['text', 1]]

/** Keys that pollute prototypes when a server copies objects carelessly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const

/**
 * Nesting depths around the limits (8 groups in a segment definition, 64 levels of a body) and far
 * past them; 14 levels of `and` with a broken leaf took a union-checking validator 15 s and a 500.
 */
export const DEPTHS = [9, 14, 33, 66, 3000] as const

/** Words the domain knows, so generated values reach handlers' lookups instead of failing early. */
export const DOMAIN_WORDS = [
  'phone',
  'email',
  'user_id',
  'anonymous_id',
  'Order Completed',
  'total',
  'name',
  'city',
  'member',
  'track',
  'identify',
] as const

/** Longest string generated: over most `maxLength`s, under the 1 MiB body limit. */
export const HUGE_LENGTHS = [256, 5_000, 200_000] as const
