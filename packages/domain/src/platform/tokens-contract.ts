import { Type, type Static } from '@sinclair/typebox'
import { RoleName } from '../access/access-schemas.js'
import { Empty, IdParams, route, Timestamp } from '../contract/route-contract.js'

/** An API token for scripts; its secret is shown once, at creation. */
export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleName,
  prefix: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
})
export type ApiToken = Static<typeof ApiToken>

export const NewApiToken = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.Optional(RoleName) },
  { additionalProperties: false },
)
export type NewApiToken = Static<typeof NewApiToken>

export const CreatedApiToken = Type.Object({ token: ApiToken, secret: Type.String() })
export type CreatedApiToken = Static<typeof CreatedApiToken>

export const tokenRoutes = {
  listTokens: route({
    method: 'GET',
    path: '/api/v1/tokens',
    tag: 'tokens',
    summary: 'API tokens of the workspace',
    access: { kind: 'workspace', permission: 'tokens.manage' },
    response: Type.Object({ items: Type.Array(ApiToken) }),
  }),
  createToken: route({
    method: 'POST',
    path: '/api/v1/tokens',
    tag: 'tokens',
    summary: 'Create an API token; the secret is returned once',
    access: { kind: 'workspace', permission: 'tokens.manage' },
    body: NewApiToken,
    response: CreatedApiToken,
    status: 201,
  }),
  revokeToken: route({
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    tag: 'tokens',
    summary: 'Revoke an API token',
    access: { kind: 'workspace', permission: 'tokens.manage' },
    params: IdParams,
    response: Empty,
  }),
} as const
