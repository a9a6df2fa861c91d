import { Type, type Static } from '@sinclair/typebox'
import { route } from '../contract/route-contract.js'

/** A workspace's rule for one identifier type. */
export const IdentifierTypeRule = Type.Object({
  type: Type.String(),
  priority: Type.Integer({ minimum: 0, maximum: 1000 }),
  maxPerProfile: Type.Integer({ minimum: 1, maximum: 10000 }),
  blockedValues: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 1000 }),
  standard: Type.Boolean(),
})
export type IdentifierTypeRule = Static<typeof IdentifierTypeRule>

export const IdentifierTypeChange = Type.Object(
  {
    priority: Type.Integer({ minimum: 0, maximum: 1000 }),
    maxPerProfile: Type.Integer({ minimum: 1, maximum: 10000 }),
    blockedValues: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
)
export type IdentifierTypeChange = Static<typeof IdentifierTypeChange>

export const identityRoutes = {
  listIdentifierTypes: route({
    method: 'GET',
    path: '/api/v1/identity/types',
    tag: 'identity',
    summary: 'Identifier types with their priority, limit per profile and blocked values',
    access: { kind: 'workspace', permission: 'profiles.read' },
    response: Type.Object({ items: Type.Array(IdentifierTypeRule) }),
  }),
  setIdentifierType: route({
    method: 'PUT',
    path: '/api/v1/identity/types/:type',
    tag: 'identity',
    summary: 'Set the rule of an identifier type, or add a custom type',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: Type.Object({ type: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) }),
    body: IdentifierTypeChange,
    response: IdentifierTypeRule,
  }),
} as const
