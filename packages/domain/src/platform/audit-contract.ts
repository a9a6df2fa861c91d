import { Type, type Static } from '@sinclair/typebox'
import { literalUnion } from '../contract/string-enum.js'
import { Page, PageQuery, route, Timestamp } from '../contract/route-contract.js'

/** One recorded change: who, when, where, what, before and after. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({
    kind: literalUnion(['user', 'token', 'system'] as const),
    id: Type.Union([Type.String(), Type.Null()]),
    label: Type.String(),
  }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
})
export type AuditEntry = Static<typeof AuditEntry>

export const auditRoutes = {
  listAudit: route({
    method: 'GET',
    path: '/api/v1/audit-log',
    tag: 'audit',
    summary: 'Recorded changes, newest first',
    access: { kind: 'workspace', permission: 'audit.read' },
    query: Type.Object({
      ...PageQuery,
      actorId: Type.Optional(Type.String({ format: 'uuid' })),
      action: Type.Optional(Type.String({ maxLength: 100 })),
      entityType: Type.Optional(Type.String({ maxLength: 100 })),
      entityId: Type.Optional(Type.String({ maxLength: 100 })),
      from: Type.Optional(Timestamp),
      to: Type.Optional(Timestamp),
    }),
    response: Page(AuditEntry),
  }),
} as const
