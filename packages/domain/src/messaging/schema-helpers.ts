import { Type, type TSchema } from '@sinclair/typebox'

/** A uuid in a body or query. */
export const Id = Type.String({ format: 'uuid' })
/** `T` or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
