import { Type } from '@sinclair/typebox'

/** A string that is one of `values`, as a JSON Schema `enum` (one schema node, readable in OpenAPI). */
export const stringEnum = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })

/** A string that is one of `values`, as a union of literals (`anyOf`). */
export const literalUnion = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)))
