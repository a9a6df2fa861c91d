import { Type, type Static } from '@sinclair/typebox'
import { normalizeIdentifier } from '../identity/normalize-identifier.js'

/** What an import creates: profiles (identify calls) or events (track calls, e.g. historical orders). */
export const IMPORT_KINDS = ['profiles', 'events'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]
export const IMPORT_FORMATS = ['csv', 'jsonl'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

const Column = Type.String({ minLength: 1, maxLength: 200 })

/**
 * Which column (CSV header, or dotted path in JSONL) feeds which field. At least one of userId,
 * anonymousId, phone or email must be mapped so rows can be tied to customers.
 */
export const ImportMapping = Type.Object(
  {
    userId: Type.Optional(Column),
    anonymousId: Type.Optional(Column),
    /** Event name: from a column, or the same for every row. */
    event: Type.Optional(Column),
    eventName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timestamp: Type.Optional(Column),
    /** A column that makes each row unique (an order number): re-imports of the row are skipped. */
    messageId: Type.Optional(Column),
    traits: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Column)),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Column)),
  },
  { additionalProperties: false },
)
export type ImportMapping = Static<typeof ImportMapping>

const get = (row: Record<string, unknown>, path: string): unknown => {
  if (path in row) return row[path]
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), row)
}

const NUMBER = /^-?\d+(\.\d+)?$/
/** CSV cells are text; numbers in properties (amounts in fen, quantities) become numbers. */
const property = (value: unknown) => (typeof value === 'string' && NUMBER.test(value) && value.length < 16 ? Number(value) : value)
const present = (value: unknown) => value !== undefined && value !== null && value !== ''

/**
 * Turns one row of an import into a Segment call: `identify` for profiles, `track` for events.
 * `fallbackMessageId` keeps re-runs of the same file from adding anything twice; `origin` (import
 * or webhook) prefixes the stand-in anonymousId of a row known only by phone or email.
 *
 * @example
 * mapImportRow({ member: 'm1', amount: '8800' }, 'events', { userId: 'member', eventName: 'Order Completed', properties: { total: 'amount' } }, 'f1:2')
 */
export function mapImportRow(
  row: Record<string, unknown>,
  kind: ImportKind,
  mapping: ImportMapping,
  fallbackMessageId: string,
  origin: 'import' | 'webhook' = 'import',
): Record<string, unknown> {
  const traits: Record<string, unknown> = {}
  for (const [trait, column] of Object.entries(mapping.traits ?? {})) {
    const value = get(row, column)
    if (present(value)) traits[trait] = value
  }
  const message: Record<string, unknown> = {
    type: kind === 'profiles' ? 'identify' : 'track',
    messageId:
      mapping.messageId && present(get(row, mapping.messageId)) ? `${kind}:${String(get(row, mapping.messageId))}` : fallbackMessageId,
  }
  const userId = mapping.userId ? get(row, mapping.userId) : undefined
  const anonymousId = mapping.anonymousId ? get(row, mapping.anonymousId) : undefined
  if (present(userId)) message.userId = String(userId)
  if (present(anonymousId)) message.anonymousId = String(anonymousId)
  // A row known only by phone or email is still a customer: the phone (or email) stands as its user key.
  if (!present(userId) && !present(anonymousId)) {
    const contact = traits.phone ?? traits.email
    if (present(contact)) message.anonymousId = `${origin}:${String(contact)}`
  }
  if (mapping.timestamp && present(get(row, mapping.timestamp))) message.timestamp = String(get(row, mapping.timestamp))
  if (kind === 'profiles') message.traits = traits
  else {
    message.event = mapping.eventName ?? (mapping.event ? get(row, mapping.event) : undefined)
    message.properties = Object.fromEntries(
      Object.entries(mapping.properties ?? {})
        .map(([prop, column]) => [prop, property(get(row, column))])
        .filter(([, v]) => present(v)),
    )
    if (Object.keys(traits).length > 0) message.context = { traits }
  }
  return message
}

/** The traits that are identifiers too, and the word a refusal uses for each. */
const IDENTIFIER_TRAITS = { phone: 'a phone number', email: 'an email address' } as const

/**
 * Why a mapped row's identifier trait is not what its name says, or null: a `phone` that is not a
 * phone number, an `email` that is not an address. Ingestion would drop such a value as an
 * identifier yet keep it as a trait; an import refuses the row instead, so the operator sees it in
 * the error report and can correct the file.
 *
 * @example
 * invalidIdentifierTrait({ type: 'identify', traits: { phone: 'not-a-phone' } }) // { field: 'traits.phone', reason: … }
 */
export function invalidIdentifierTrait(message: Record<string, unknown>): { field: string; reason: string } | null {
  const context = message.context as { traits?: Record<string, unknown> } | undefined
  const traits = (message.traits ?? context?.traits) as Record<string, unknown> | undefined
  if (!traits) return null
  for (const [type, what] of Object.entries(IDENTIFIER_TRAITS)) {
    const value = traits[type]
    if (present(value) && normalizeIdentifier(type, value) === null)
      return { field: `traits.${type}`, reason: `traits.${type}: ${JSON.stringify(value)} is not ${what}` }
  }
  return null
}
