import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'

/** A profile as lists of members show it (phones and emails masked without `pii.read`). */
export const MemberProfile = Type.Object({
  id: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  lastSeenAt: Timestamp,
  enteredAt: Type.Optional(Timestamp),
})
export type MemberProfile = Static<typeof MemberProfile>

/** What a cancel found: whether a computation was running (in the process that answered) and was stopped. */
export const ComputationCancel = Type.Object({ cancelled: Type.Boolean() })
export type ComputationCancel = Static<typeof ComputationCancel>

/**
 * The most identifiers one request may name (static members, tagging), and the body those routes
 * take (above `BODY_LIMIT_BYTES`): a file of a million phones replaces a list in one request, in one
 * transaction, so nobody leaves and re-enters on the way. A longer list goes in several requests.
 */
export const MAX_IDENTIFIERS_PER_REQUEST = 1_000_000

export const IDENTIFIER_LIST_BODY_LIMIT = 32 * 1024 * 1024

/** One entry or exit of a profile, in a segment or a tag. */
export const AudienceChange = Type.Object({
  at: Timestamp,
  change: stringEnum(['entered', 'exited'] as const),
  segmentId: Type.Union([Type.String(), Type.Null()]),
  tagId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  actor: Type.String(),
})
export type AudienceChange = Static<typeof AudienceChange>

/** The segments and tags a profile is in now. */
export const ProfileAudiences = Type.Object({
  segments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), enteredAt: Timestamp })),
  tags: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), group: Type.Union([Type.String(), Type.Null()]), addedAt: Timestamp }),
  ),
})
export type ProfileAudiences = Static<typeof ProfileAudiences>

export const audienceRoutes = {
  getProfileAudiences: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/audiences',
    tag: 'segments',
    summary: 'The segments and tags a profile is in',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: ProfileAudiences,
  }),
  getProfileAudienceHistory: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/audience-history',
    tag: 'tags',
    summary: "A profile's entries and exits of segments and tags, newest first",
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Type.Object({ items: Type.Array(AudienceChange) }),
  }),
} as const
