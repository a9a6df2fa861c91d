import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats

const base: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false }

/**
 * Bodies are validated strictly (a number where a string belongs is an error, not coerced);
 * query strings and path parameters are text on the wire, so they are coerced to their types.
 */
export function schemaCompiler(): FastifySchemaCompiler<unknown> {
  const strict = new Ajv({ ...base, coerceTypes: false })
  const coercing = new Ajv({ ...base, coerceTypes: 'array' })
  addFormats(strict)
  addFormats(coercing)
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object)
}
