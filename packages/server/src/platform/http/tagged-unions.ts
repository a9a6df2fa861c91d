type Schema = Record<string, unknown>

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The property that tells a union's variants apart — every variant an object that requires it with
 * a constant, each constant different (`kind` of segment nodes, `type` of event windows) — or null.
 */
function tagOf(variants: readonly unknown[]): string | null {
  const first = variants[0]
  if (!isSchema(first) || !isSchema(first.properties)) return null
  for (const name of Object.keys(first.properties)) {
    const values = variants.map((v) => {
      if (!isSchema(v) || v.type !== 'object' || !Array.isArray(v.required) || !v.required.includes(name) || !isSchema(v.properties))
        return undefined
      const property = v.properties[name]
      return isSchema(property) && typeof property.const === 'string' ? property.const : undefined
    })
    if (values.every((v) => v !== undefined) && new Set(values).size === values.length) return name
  }
  return null
}

const rewritten = new WeakMap<object, unknown>()

/**
 * A schema that accepts exactly what `schema` accepts, with every tagged union (`anyOf` of objects
 * told apart by a constant property) rewritten as one `if`/`then` per variant on that property.
 *
 * Why: with `allErrors`, ajv checks every variant of an `anyOf` to the end, and a recursive union
 * (segment definitions: `and` and `or` hold the same `children`) then costs 2^depth — a 14-deep
 * invalid definition of a few hundred bytes took 15 s and answered 500. With `if`/`then` only the
 * variant the tag names is checked, so validation is linear, and its errors are that variant's,
 * not a list of every variant's. The OpenAPI document keeps the `anyOf`; only validation changes.
 * The same input object gives the same output object, so ajv sees a shared `$id` once.
 */
export function discriminateTaggedUnions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(discriminateTaggedUnions)
  if (!isSchema(schema)) return schema
  const known = rewritten.get(schema)
  if (known) return known
  const out: Schema = {}
  rewritten.set(schema, out)
  for (const [key, value] of Object.entries(schema)) out[key] = discriminateTaggedUnions(value)
  const variants = out.anyOf
  const tag = Array.isArray(variants) && variants.length > 1 && !('properties' in out) && !('allOf' in out) ? tagOf(variants) : null
  if (!tag || !Array.isArray(variants)) return out
  const tagOfVariant = (v: unknown) => ((v as { properties: Record<string, { const: string }> }).properties[tag] as { const: string }).const
  delete out.anyOf
  Object.assign(out, {
    type: 'object',
    required: [tag],
    properties: { [tag]: { type: 'string', enum: variants.map(tagOfVariant) } },
    allOf: variants.map((v) => ({ if: { properties: { [tag]: { const: tagOfVariant(v) } }, required: [tag] }, then: v })),
  })
  return out
}
