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

/** What a full computation computes. */
export const COMPUTATION_KINDS = ['segment', 'tag', 'computed_property'] as const
export type ComputationKind = (typeof COMPUTATION_KINDS)[number]

/**
 * A full computation of a segment, a rule tag or a computed property that has not finished: `queued`
 * (due `since`), `running` (since it started; one statement in the database, so no share done can be
 * told), `retrying` (an attempt failed; the next one is due `since`) or `failed` (its job died
 * `since`, with the last error; a computation finished later, `computedAt` past `since`, supersedes
 * it). One that is not listed is done: the entity's `computedAt` and size or profiles say when and
 * how many.
 */
export const Computation = Type.Object({
  kind: stringEnum(COMPUTATION_KINDS),
  id: Type.String(),
  state: stringEnum(['queued', 'running', 'retrying', 'failed'] as const),
  since: Timestamp,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
})
export type Computation = Static<typeof Computation>

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
  listComputations: route({
    method: 'GET',
    path: '/api/v1/computations',
    tag: 'segments',
    summary: 'Full computations of segments, rule tags and computed properties that are queued, running, retrying or failed',
    access: { kind: 'workspace', permission: 'audiences.read' },
    query: Type.Object({ kind: Type.Optional(stringEnum(COMPUTATION_KINDS)), id: Type.Optional(Type.String({ maxLength: 64 })) }),
    response: Type.Object({ items: Type.Array(Computation) }),
  }),
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
