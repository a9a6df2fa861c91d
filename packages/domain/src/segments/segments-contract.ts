import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import {
  ComputationCancel,
  IDENTIFIER_LIST_BODY_LIMIT,
  MAX_IDENTIFIERS_PER_REQUEST,
  MemberProfile,
} from '../audiences/audiences-contract.js'
import { IdParams, Page, PageQuery, route, Timestamp } from '../contract/route-contract.js'
import { SegmentNode } from './segment-definition.js'

export const SEGMENT_KINDS = ['dynamic', 'static'] as const

/** A label that groups segments or tags in their lists ("门店活动", "lifecycle"): a few words. */
export const Label = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' })
/** The labels of a segment or tag (at most 20; kept trimmed and once each). */
export const Labels = Type.Array(Label, { maxItems: 20 })

/** A filter of a list of segments or tags: those with this label. */
export const LabelQuery = Type.Object({ label: Type.Optional(Label) }, { additionalProperties: false })

/** What depends on a segment or tag: the segments and rule tags whose definitions name it (the details of SEGMENT_IN_USE / TAG_IN_USE). */
export const AudienceDependents = Type.Object({
  usedBy: Type.Array(
    Type.Object({ kind: Type.Union([Type.Literal('segment'), Type.Literal('tag')]), id: Type.String(), name: Type.String() }),
  ),
})
export type AudienceDependents = Static<typeof AudienceDependents>

/** A segment: who it holds (a definition, or a list for static ones), its size and freshness. */
export const Segment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: stringEnum(SEGMENT_KINDS),
  definition: Type.Union([SegmentNode, Type.Null()]),
  labels: Type.Array(Type.String()),
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
    kind: stringEnum(SEGMENT_KINDS),
    definition: Type.Optional(SegmentNode),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: false },
)
export type NewSegment = Static<typeof NewSegment>

export const SegmentChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    definition: Type.Optional(SegmentNode),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: false },
)
export type SegmentChange = Static<typeof SegmentChange>

/** A copy of a segment: its name (by default "<name> (copy)", numbered when taken). */
export const SegmentDuplicate = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
)
export type SegmentDuplicate = Static<typeof SegmentDuplicate>

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

/** Static segments: identifiers to put in (append) or to be the whole list (replace). */
export const StaticMembers = Type.Object(
  {
    mode: stringEnum(['append', 'replace'] as const),
    identifierType: Type.String({ minLength: 1, maxLength: 64 }),
    values: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST }),
  },
  { additionalProperties: false },
)
export type StaticMembers = Static<typeof StaticMembers>

/** What putting members in a static segment did: its size after, entries, exits, and identifiers no profile holds. */
export const StaticMembersOutcome = Type.Object({
  size: Type.Integer(),
  entered: Type.Integer(),
  exited: Type.Integer(),
  unknown: Type.Integer(),
})
export type StaticMembersOutcome = Static<typeof StaticMembersOutcome>

/** A segment's size over time, and its entries and exits per day. */
export const SegmentSizes = Type.Object({
  sizes: Type.Array(Type.Object({ at: Timestamp, size: Type.Integer() })),
  changes: Type.Array(Type.Object({ day: Type.String(), entered: Type.Integer(), exited: Type.Integer() })),
})
export type SegmentSizes = Static<typeof SegmentSizes>

export const segmentRoutes = {
  listSegments: route({
    method: 'GET',
    path: '/api/v1/segments',
    tag: 'segments',
    summary: 'Segments with their sizes (those with a label, when asked)',
    access: { kind: 'workspace', permission: 'audiences.read' },
    query: LabelQuery,
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
    summary: 'Rename a segment, describe it, label it or change its definition (recomputed at once)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: SegmentChange,
    response: Segment,
  }),
  deleteSegment: route({
    method: 'DELETE',
    path: '/api/v1/segments/:id',
    tag: 'segments',
    summary: 'Delete a segment and its memberships (refused with SEGMENT_IN_USE, naming them, while segments or rule tags refer to it)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  duplicateSegment: route({
    method: 'POST',
    path: '/api/v1/segments/:id/duplicate',
    tag: 'segments',
    summary: 'Copy a segment: the same definition (computed as a new segment) or, for a static one, the same members',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: SegmentDuplicate,
    response: Segment,
    status: 201,
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
    download: { contentType: 'text/csv' },
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
    response: StaticMembersOutcome,
  }),
  getSegmentSizes: route({
    method: 'GET',
    path: '/api/v1/segments/:id/sizes',
    tag: 'segments',
    summary: "A segment's size over time, with daily entries and exits",
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: SegmentSizes,
  }),
} as const
