import { Type } from '@sinclair/typebox'

// Schema pieces the definition's files share (not part of the package's public face).
export const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })
export const Name = Type.String({ minLength: 1, maxLength: 200 })
export const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number()])
export const Instant = Type.String({ format: 'date-time' })
