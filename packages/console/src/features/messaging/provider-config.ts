/** One property of a provider kind's configuration schema (TypeBox / JSON Schema), as far as the form needs it. */
export interface PropertySchema {
  type?: string
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  pattern?: string
  minLength?: number
}
interface ObjectSchema {
  properties?: Record<string, PropertySchema>
  required?: string[]
}

/** A configuration being written: what each input holds (text for strings and JSON, numbers, booleans). */
export type ConfigDraft = Record<string, string | number | boolean | null>

/** Values that are keys or certificates: written in a text area. */
export const MULTILINE = new Set(['privateKey', 'serviceAccount', 'dkimPrivateKey'])

/** The properties of a kind's schema, in its order, each marked required or not. */
export function configProperties(schema: unknown): Array<{ key: string; schema: PropertySchema; required: boolean }> {
  const object = (schema ?? {}) as ObjectSchema
  const required = new Set(object.required ?? [])
  return Object.entries(object.properties ?? {}).map(([key, s]) => ({ key, schema: s, required: required.has(key) }))
}

/** A new account's draft: each property's default, else empty. */
export function draftFromDefaults(schema: unknown): ConfigDraft {
  const draft: ConfigDraft = {}
  for (const { key, schema: s } of configProperties(schema)) draft[key] = toDraft(s, s.default)
  return draft
}

/** An existing account's draft: its stored values (secrets stay empty: they are never sent back). */
export function draftFromConfig(schema: unknown, config: Record<string, unknown>): ConfigDraft {
  const draft: ConfigDraft = {}
  for (const { key, schema: s } of configProperties(schema)) draft[key] = toDraft(s, config[key])
  return draft
}

function toDraft(s: PropertySchema, value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return s.type === 'boolean' ? false : s.type === 'integer' || s.type === 'number' ? null : ''
  if (s.type === 'object' || s.type === 'array') return JSON.stringify(value, null, 2)
  return value as string | number | boolean
}

/**
 * The configuration to send: empty values left out (so an empty secret keeps its stored value and an
 * optional field takes its default), JSON fields parsed. Throws a field's name with a JSON it cannot read.
 */
export function configToSend(schema: unknown, draft: ConfigDraft): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  for (const { key, schema: s } of configProperties(schema)) {
    const value = draft[key]
    if (value === null || value === undefined || value === '') continue
    if ((s.type === 'object' || s.type === 'array') && typeof value === 'string') {
      try {
        config[key] = JSON.parse(value) as unknown
      } catch {
        throw new ConfigJsonError(key)
      }
    } else config[key] = value
  }
  return config
}

/** A JSON field of the configuration that does not parse. */
export class ConfigJsonError extends Error {
  constructor(readonly key: string) {
    super(`${key}: not JSON`)
  }
}
