import { Type, type Static } from '@sinclair/typebox'
import { SegmentNode } from '../segments/segment-definition.js'
import { IdParams, Page, PageQuery, route, Timestamp } from './route-contract.js'

const literal = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })

export const SEGMENT_KINDS = ['dynamic', 'static'] as const

/** A segment: who it holds (a definition, or a list for static ones), its size and freshness. */
export const Segment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: literal(SEGMENT_KINDS),
  definition: Type.Union([SegmentNode, Type.Null()]),
  changesWithTime: Type.Boolean(),
  size: Type.Integer(),
  computedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Segment = Static<typeof Segment>

export const NewSegment = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    kind: literal(SEGMENT_KINDS),
    definition: Type.Optional(SegmentNode),
  },
  { additionalProperties: false },
)
export type NewSegment = Static<typeof NewSegment>

export const SegmentChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    definition: Type.Optional(SegmentNode),
  },
  { additionalProperties: false },
)
export type SegmentChange = Static<typeof SegmentChange>

/** A profile as lists of members show it (phones and emails masked without `pii.read`). */
export const MemberProfile = Type.Object({
  id: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  lastSeenAt: Timestamp,
  enteredAt: Type.Optional(Timestamp),
})
export type MemberProfile = Static<typeof MemberProfile>

/** How many profiles a definition matches now, and some of them. */
export const SegmentPreview = Type.Object({ count: Type.Integer(), sample: Type.Array(MemberProfile), tookMs: Type.Integer() })
export type SegmentPreview = Static<typeof SegmentPreview>

/** What a computation changed. */
export const SegmentComputation = Type.Object({
  size: Type.Integer(),
  entered: Type.Integer(),
  exited: Type.Integer(),
  tookMs: Type.Integer(),
})
export type SegmentComputation = Static<typeof SegmentComputation>

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

/** Static segments: identifiers to put in (append) or to be the whole list (replace). */
export const StaticMembers = Type.Object(
  {
    mode: literal(['append', 'replace'] as const),
    identifierType: Type.String({ minLength: 1, maxLength: 64 }),
    values: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST }),
  },
  { additionalProperties: false },
)
export type StaticMembers = Static<typeof StaticMembers>

/** A layer of tags (lifecycle, value…); in an exclusive group a profile holds at most one of its manual tags. */
export const TagGroup = Type.Object({ id: Type.String(), name: Type.String(), exclusive: Type.Boolean(), createdAt: Timestamp })
export type TagGroup = Static<typeof TagGroup>
export const NewTagGroup = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), exclusive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)

export const TAG_KINDS = ['manual', 'rule'] as const
/** A tag: given by people (manual) or computed from a definition like a segment (rule). */
export const ProfileTag = Type.Object({
  id: Type.String(),
  name: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()]),
  kind: literal(TAG_KINDS),
  definition: Type.Union([SegmentNode, Type.Null()]),
  size: Type.Integer(),
  computedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
})
export type ProfileTag = Static<typeof ProfileTag>
export const NewTag = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    groupId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    kind: literal(TAG_KINDS),
    definition: Type.Optional(SegmentNode),
  },
  { additionalProperties: false },
)
export type NewTag = Static<typeof NewTag>

/** Tag or untag profiles, by id or by identifier (a CSV column of phones, for example). */
export const TagProfiles = Type.Object(
  {
    action: literal(['add', 'remove'] as const),
    profileIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST })),
    identifierType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    values: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST })),
  },
  { additionalProperties: false },
)
export type TagProfiles = Static<typeof TagProfiles>

/** One entry or exit of a profile, in a segment or a tag. */
export const AudienceChange = Type.Object({
  at: Timestamp,
  change: literal(['entered', 'exited'] as const),
  segmentId: Type.Union([Type.String(), Type.Null()]),
  tagId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  actor: Type.String(),
})
export type AudienceChange = Static<typeof AudienceChange>

export const audienceRoutes = {
  listTagGroups: route({
    method: 'GET',
    path: '/api/v1/tag-groups',
    tag: 'tags',
    summary: 'Tag groups (layers)',
    access: { kind: 'workspace', permission: 'audiences.read' },
    response: Type.Object({ items: Type.Array(TagGroup) }),
  }),
  createTagGroup: route({
    method: 'POST',
    path: '/api/v1/tag-groups',
    tag: 'tags',
    summary: 'Create a tag group',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: NewTagGroup,
    response: TagGroup,
    status: 201,
  }),
  listTags: route({
    method: 'GET',
    path: '/api/v1/tags',
    tag: 'tags',
    summary: 'Tags with how many profiles hold each',
    access: { kind: 'workspace', permission: 'audiences.read' },
    response: Type.Object({ items: Type.Array(ProfileTag) }),
  }),
  createTag: route({
    method: 'POST',
    path: '/api/v1/tags',
    tag: 'tags',
    summary: 'Create a manual tag, or a rule tag computed from a definition',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: NewTag,
    response: ProfileTag,
    status: 201,
  }),
  deleteTag: route({
    method: 'DELETE',
    path: '/api/v1/tags/:id',
    tag: 'tags',
    summary: 'Delete a tag and take it off every profile',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  tagProfiles: route({
    method: 'POST',
    path: '/api/v1/tags/:id/profiles',
    tag: 'tags',
    bodyLimit: IDENTIFIER_LIST_BODY_LIMIT,
    summary: 'Put a manual tag on profiles or take it off, by id or identifier',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: TagProfiles,
    response: Type.Object({ changed: Type.Integer(), unknown: Type.Integer(), size: Type.Integer() }),
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
  listSegments: route({
    method: 'GET',
    path: '/api/v1/segments',
    tag: 'segments',
    summary: 'Segments with their sizes',
    access: { kind: 'workspace', permission: 'audiences.read' },
    response: Type.Object({ items: Type.Array(Segment) }),
  }),
  createSegment: route({
    method: 'POST',
    path: '/api/v1/segments',
    tag: 'segments',
    summary: 'Create a segment; a dynamic one is computed at once',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: NewSegment,
    response: Segment,
    status: 201,
  }),
  getSegment: route({
    method: 'GET',
    path: '/api/v1/segments/:id',
    tag: 'segments',
    summary: 'One segment',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Segment,
  }),
  updateSegment: route({
    method: 'PATCH',
    path: '/api/v1/segments/:id',
    tag: 'segments',
    summary: 'Rename a segment or change its definition (recomputed at once)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: SegmentChange,
    response: Segment,
  }),
  deleteSegment: route({
    method: 'DELETE',
    path: '/api/v1/segments/:id',
    tag: 'segments',
    summary: 'Delete a segment (refused while others refer to it)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  previewSegment: route({
    method: 'POST',
    path: '/api/v1/segments/preview',
    tag: 'segments',
    summary: 'Count the profiles a definition matches now, with a sample, without saving',
    access: { kind: 'workspace', permission: 'audiences.read' },
    body: Type.Object({ definition: SegmentNode }, { additionalProperties: false }),
    response: SegmentPreview,
  }),
  computeSegment: route({
    method: 'POST',
    path: '/api/v1/segments/:id/compute',
    tag: 'segments',
    summary: "Compute a dynamic segment's membership in full now",
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: SegmentComputation,
  }),
  cancelSegmentComputation: route({
    method: 'POST',
    path: '/api/v1/segments/:id/compute/cancel',
    tag: 'segments',
    summary: 'Cancel the running full computation of a segment (it rolls back; members stay as they were)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: ComputationCancel,
  }),
  listSegmentMembers: route({
    method: 'GET',
    path: '/api/v1/segments/:id/members',
    tag: 'segments',
    summary: 'Profiles in a segment, latest entries first',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    query: Type.Object({ ...PageQuery }),
    response: Page(MemberProfile),
  }),
  exportSegmentMembers: route({
    method: 'GET',
    path: '/api/v1/segments/:id/members.csv',
    tag: 'segments',
    summary: 'Every member as CSV (profile id, entered at, identifiers, name)',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Type.String(),
  }),
  setStaticMembers: route({
    method: 'POST',
    path: '/api/v1/segments/:id/members',
    tag: 'segments',
    bodyLimit: IDENTIFIER_LIST_BODY_LIMIT,
    summary: 'Put profiles in a static segment by identifier: append, or replace the whole list',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: StaticMembers,
    response: Type.Object({ size: Type.Integer(), entered: Type.Integer(), exited: Type.Integer(), unknown: Type.Integer() }),
  }),
  getSegmentSizes: route({
    method: 'GET',
    path: '/api/v1/segments/:id/sizes',
    tag: 'segments',
    summary: "A segment's size over time, with daily entries and exits",
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Type.Object({
      sizes: Type.Array(Type.Object({ at: Timestamp, size: Type.Integer() })),
      changes: Type.Array(Type.Object({ day: Type.String(), entered: Type.Integer(), exited: Type.Integer() })),
    }),
  }),
  getProfileAudiences: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/audiences',
    tag: 'segments',
    summary: 'The segments and tags a profile is in',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Type.Object({
      segments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), enteredAt: Timestamp })),
      tags: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), group: Type.Union([Type.String(), Type.Null()]), addedAt: Timestamp }),
      ),
    }),
  }),
} as const
