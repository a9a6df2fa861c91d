import { isStorableInstant } from '@reachloop/domain'
import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import { discriminateTaggedUnions } from './tagged-unions.js'

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats

const base: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false }

type FormatCheck = (text: string) => boolean

/**
 * `date-time` is RFC 3339 (as ajv-formats checks it) and, in addition, an instant JavaScript reads
 * and PostgreSQL stores: years 0001–9999 in UTC. `0000-01-01T00:00:00Z` is valid RFC 3339, but the
 * database refuses it, which used to surface as a 500 from deep inside a handler.
 */
function storableDateTimes(ajv: Ajv): void {
  const rfc3339 = ajv.formats['date-time'] as { validate: FormatCheck } | undefined
  if (!rfc3339) throw new Error('ajv-formats did not add date-time')
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => rfc3339.validate(text) && isStorableInstant(Date.parse(text)) })
}

/**
 * Bodies are validated strictly (a number where a string belongs is an error, not coerced);
 * query strings and path parameters are text on the wire, so they are coerced to their types.
 * Tagged unions are checked by their tag (see `discriminateTaggedUnions`).
 */
export function schemaCompiler(): FastifySchemaCompiler<unknown> {
  const strict = new Ajv({ ...base, coerceTypes: false })
  const coercing = new Ajv({ ...base, coerceTypes: 'array' })
  for (const ajv of [strict, coercing]) {
    addFormats(ajv)
    storableDateTimes(ajv)
  }
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(discriminateTaggedUnions(schema) as object)
}
