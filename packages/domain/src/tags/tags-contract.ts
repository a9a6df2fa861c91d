import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { IDENTIFIER_LIST_BODY_LIMIT, MAX_IDENTIFIERS_PER_REQUEST } from '../audiences/audiences-contract.js'
import { SegmentNode } from '../segments/segment-definition.js'
import { LabelQuery, Labels } from '../segments/segments-contract.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'

/** A layer of tags (lifecycle, value…); in an exclusive group a profile holds at most one of its manual tags. */
export const TagGroup = Type.Object({ id: Type.String(), name: Type.String(), exclusive: Type.Boolean(), createdAt: Timestamp })
export type TagGroup = Static<typeof TagGroup>

export const NewTagGroup = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), exclusive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type NewTagGroup = Static<typeof NewTagGroup>

/**
 * A change of a tag group: its name, or whether it is exclusive. Making a group exclusive is
 * refused (EXCLUSIVE_GROUP_CONFLICT) while some profile holds two of its manual tags.
 */
export const TagGroupChange = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), exclusive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type TagGroupChange = Static<typeof TagGroupChange>

export const TAG_KINDS = ['manual', 'rule'] as const

/** A tag: given by people (manual) or computed from a definition like a segment (rule). */
export const ProfileTag = Type.Object({
  id: Type.String(),
  name: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()]),
  kind: stringEnum(TAG_KINDS),
  description: Type.String(),
  labels: Type.Array(Type.String()),
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
    kind: stringEnum(TAG_KINDS),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    labels: Type.Optional(Labels),
    definition: Type.Optional(SegmentNode),
  },
  { additionalProperties: false },
)
export type NewTag = Static<typeof NewTag>

/**
 * A change of a tag: name, description, group, labels, and for a rule tag its definition
 * (recomputed by a job). Moving a manual tag into an exclusive group is refused
 * (EXCLUSIVE_GROUP_CONFLICT) while some of its holders hold another manual tag of that group.
 */
export const TagChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    groupId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    labels: Type.Optional(Labels),
    definition: Type.Optional(SegmentNode),
  },
  { additionalProperties: false },
)
export type TagChange = Static<typeof TagChange>

/** Tag or untag profiles, by id or by identifier (a CSV column of phones, for example). */
export const TagProfiles = Type.Object(
  {
    action: stringEnum(['add', 'remove'] as const),
    profileIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST })),
    identifierType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    values: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: MAX_IDENTIFIERS_PER_REQUEST })),
  },
  { additionalProperties: false },
)
export type TagProfiles = Static<typeof TagProfiles>

/** What tagging did: profiles changed, identifiers no profile holds, and the tag's size after. */
export const TagProfilesOutcome = Type.Object({ changed: Type.Integer(), unknown: Type.Integer(), size: Type.Integer() })
export type TagProfilesOutcome = Static<typeof TagProfilesOutcome>

export const tagRoutes = {
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
  updateTagGroup: route({
    method: 'PATCH',
    path: '/api/v1/tag-groups/:id',
    tag: 'tags',
    summary: 'Rename a tag group or make it exclusive (refused while a profile holds two of its manual tags) or not',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: TagGroupChange,
    response: TagGroup,
  }),
  deleteTagGroup: route({
    method: 'DELETE',
    path: '/api/v1/tag-groups/:id',
    tag: 'tags',
    summary: 'Delete an empty tag group (refused with TAG_GROUP_NOT_EMPTY, naming its tags, while it has any)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  listTags: route({
    method: 'GET',
    path: '/api/v1/tags',
    tag: 'tags',
    summary: 'Tags with how many profiles hold each (those with a label, when asked)',
    access: { kind: 'workspace', permission: 'audiences.read' },
    query: LabelQuery,
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
    summary: 'Delete a tag and take it off every profile (refused with TAG_IN_USE, naming them, while segments or rule tags refer to it)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  updateTag: route({
    method: 'PATCH',
    path: '/api/v1/tags/:id',
    tag: 'tags',
    summary: "Rename, describe, regroup or label a tag, or change a rule tag's definition (recomputed by a job)",
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: TagChange,
    response: ProfileTag,
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
    response: TagProfilesOutcome,
  }),
} as const
