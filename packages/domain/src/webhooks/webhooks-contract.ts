import { Type, type Static } from '@sinclair/typebox'
import { IMPORT_KINDS, ImportMapping } from '../imports/import-mapping.js'
import { IdParams, route } from '../contract/route-contract.js'

/** How a source takes webhook pushes: where, the signing secret, and how fields become a call. */
export const SourceWebhook = Type.Object({
  url: Type.String(),
  secret: Type.String(),
  signatureHeader: Type.String(),
  kind: Type.Unsafe<(typeof IMPORT_KINDS)[number]>({ type: 'string', enum: [...IMPORT_KINDS] }),
  mapping: ImportMapping,
})
export type SourceWebhook = Static<typeof SourceWebhook>

export const webhookRoutes = {
  getSourceWebhook: route({
    method: 'GET',
    path: '/api/v1/sources/:id/webhook',
    tag: 'sources',
    summary: 'The webhook of a source: its URL, signing secret and field mapping',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    response: SourceWebhook,
  }),
  setSourceWebhook: route({
    method: 'PUT',
    path: '/api/v1/sources/:id/webhook',
    tag: 'sources',
    summary: 'Let a source take signed JSON pushes, mapped to events or profile updates',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    body: Type.Object(
      { kind: Type.Unsafe<(typeof IMPORT_KINDS)[number]>({ type: 'string', enum: [...IMPORT_KINDS] }), mapping: ImportMapping },
      { additionalProperties: false },
    ),
    response: SourceWebhook,
  }),
} as const
