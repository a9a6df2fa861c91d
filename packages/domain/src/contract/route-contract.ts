import { Type, type Static, type TNever, type TSchema } from '@sinclair/typebox'
import type { Permission } from '../access/permissions.js'

/** Who may call a route. */
export type RouteAccess =
  /** Anyone, signed in or not (setup, login, health). */
  | { kind: 'public' }
  /** A signed-in user; no workspace needed (who am I, my workspaces). */
  | { kind: 'user' }
  /** A member of the current workspace whose role holds `permission`. */
  | { kind: 'workspace'; permission: Permission }

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * One route of the admin API: its path, its schemas and who may call it. The server registers
 * handlers against it (validation and OpenAPI come from the same schemas) and the console's
 * client calls it with checked types.
 */
export interface RouteContract<
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
  R extends TSchema = TSchema,
  A extends RouteAccess = RouteAccess,
> {
  method: HttpMethod
  path: string
  summary: string
  tag: string
  access: A
  params?: P
  query?: Q
  body?: B
  response: R
  /** Status of a success; 200 unless given. */
  status?: 200 | 201 | 204
  /** The largest body in bytes, when the route takes more than `BODY_LIMIT_BYTES` (lists of identifiers). */
  bodyLimit?: number
  /** The body is a file sent as it is, not JSON, in one of these content types (`ApiClient.upload`). */
  upload?: { contentTypes: readonly string[] }
  /** The success response is a file to save, not JSON (`ApiClient.download`). */
  download?: { contentType: string }
}

/** Declares a route contract, keeping its schema types. */
export function route<
  R extends TSchema,
  const A extends RouteAccess,
  P extends TSchema = TNever,
  Q extends TSchema = TNever,
  B extends TSchema = TNever,
>(contract: RouteContract<P, Q, B, R, A>): RouteContract<P, Q, B, R, A> {
  return contract
}

type StaticOr<S, Fallback> = [S] extends [TNever] ? Fallback : S extends TSchema ? Static<S> : Fallback

/** The path parameters of a contract. */
export type ParamsOf<C> = C extends RouteContract<infer P, TSchema, TSchema, TSchema, RouteAccess> ? StaticOr<P, undefined> : never

/** The query of a contract. */
export type QueryOf<C> = C extends RouteContract<TSchema, infer Q, TSchema, TSchema, RouteAccess> ? StaticOr<Q, undefined> : never

/** The body of a contract. */
export type BodyOf<C> = C extends RouteContract<TSchema, TSchema, infer B, TSchema, RouteAccess> ? StaticOr<B, undefined> : never

/** The success response of a contract. */
export type ResponseOf<C> = C extends RouteContract<TSchema, TSchema, TSchema, infer R, RouteAccess> ? Static<R> : never

/** An id path parameter. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/**
 * A numeric id path parameter (jobs, quarantined events): up to 15 digits, so it is a safe
 * integer in JavaScript and within PostgreSQL's bigint (19 digits can be neither).
 */
export const SERIAL_ID_PATTERN = '^[0-9]{1,15}$'

export const SerialIdParams = Type.Object({ id: Type.String({ pattern: SERIAL_ID_PATTERN }) })

/** An ISO 8601 timestamp. */
export const Timestamp = Type.String({ format: 'date-time' })

/** Cursor pagination of a list. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}

/** A page of a list: its items and the cursor of the next page (null at the end). */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) })
}

/** An empty success body. */
export const Empty = Type.Object({})
