import { randomUUID } from 'node:crypto'

/** The parts of a JSON schema, as TypeBox writes them, that test inputs are built from. */
export interface JsonSchema {
  $id?: string
  $ref?: string
  type?: string
  format?: string
  pattern?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  patternProperties?: Record<string, JsonSchema>
  items?: JsonSchema
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
}

let counter = 0

/**
 * A valid value for a JSON schema, with every optional property filled in, so a route walked by a
 * test gets past validation and reaches its handler.
 */
export function sampleOf(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return schema.enum[schema.enum.length > 2 ? 2 : 0]
  if (schema.anyOf?.[0]) return sampleOf(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0])
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sampleOf(value)]))
    case 'array':
      return []
    case 'boolean':
      return true
    case 'integer':
    case 'number':
      return schema.minimum ?? 1
    case 'string':
      counter += 1
      if (schema.format === 'email') return `walker-${counter}@example.com`
      if (schema.format === 'uuid') return randomUUID()
      if (schema.format === 'date-time') return new Date().toISOString()
      if (schema.pattern === '^[A-Z]{3}$') return 'USD'
      if (schema.pattern?.startsWith('^[0-9]')) return String(counter)
      return `walker-${counter}`.padEnd(schema.minLength ?? 0, 'x')
    default:
      return null
  }
}
