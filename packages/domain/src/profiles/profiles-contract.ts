import { Type, type Static } from '@sinclair/typebox'
import { IdParams, Page, PageQuery, route, Timestamp } from '../contract/route-contract.js'

export const ProfileIdentifier = Type.Object({ type: Type.String(), value: Type.String(), firstSeenAt: Timestamp })

/** A customer: traits, identifiers and when they were seen. */
export const Profile = Type.Object({
  id: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  identifiers: Type.Array(ProfileIdentifier),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
})
export type Profile = Static<typeof Profile>

export const ProfileMerge = Type.Object({
  fromProfileId: Type.String(),
  intoProfileId: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  mergedAt: Timestamp,
})

/** Profile 360: the profile, its merge history and latest activity. */
export const ProfileDetail = Type.Composite([Profile, Type.Object({ merges: Type.Array(ProfileMerge), eventCount: Type.Integer() })])
export type ProfileDetail = Static<typeof ProfileDetail>

/** One event of a timeline. */
export const TimelineEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  timestamp: Timestamp,
  receivedAt: Timestamp,
  sourceId: Type.Union([Type.String(), Type.Null()]),
  messageId: Type.String(),
  properties: Type.Record(Type.String(), Type.Unknown()),
  traits: Type.Record(Type.String(), Type.Unknown()),
})
export type TimelineEvent = Static<typeof TimelineEvent>

/** What erasing a profile removed. */
export const ProfileErasure = Type.Object({
  erasedProfiles: Type.Integer(),
  erasedEvents: Type.Integer(),
  suppressedIdentifiers: Type.Integer(),
})
export type ProfileErasure = Static<typeof ProfileErasure>

/** How the customers list is ordered: by when a customer was last or first seen, either way. */
export const ProfileSort = Type.Union([
  Type.Literal('last_seen_desc'),
  Type.Literal('last_seen_asc'),
  Type.Literal('first_seen_desc'),
  Type.Literal('first_seen_asc'),
])
export type ProfileSort = Static<typeof ProfileSort>

/** How a trait filter compares: the trait's text equals or contains the value, or the trait is set at all. */
export const TraitFilterOperator = Type.Union([Type.Literal('equals'), Type.Literal('contains'), Type.Literal('exists')])
export type TraitFilterOperator = Static<typeof TraitFilterOperator>

/** The customers list's filters (all given ones apply together) and its order. */
export const ProfileListFilter = {
  search: Type.Optional(Type.String({ maxLength: 200 })),
  trait: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  traitOperator: Type.Optional(TraitFilterOperator),
  traitValue: Type.Optional(Type.String({ maxLength: 500 })),
  segmentId: Type.Optional(Type.String({ format: 'uuid' })),
  tagId: Type.Optional(Type.String({ format: 'uuid' })),
  sort: Type.Optional(ProfileSort),
}
export type ProfileListFilter = Static<ReturnType<typeof Type.Object<typeof ProfileListFilter>>>

/** A page of customers, and on the first page how many match in all. */
export const ProfileList = Type.Composite([Page(Profile), Type.Object({ total: Type.Optional(Type.Integer()) })])
export type ProfileList = Static<typeof ProfileList>

/** One part of a CSV export of the customers list: its lines (the header on the first part), and where the next starts. */
export const ProfileExportPart = Type.Object({
  csv: Type.String(),
  rows: Type.Integer(),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type ProfileExportPart = Static<typeof ProfileExportPart>

export const profileRoutes = {
  listProfiles: route({
    method: 'GET',
    path: '/api/v1/profiles',
    tag: 'profiles',
    summary: 'Profiles, filtered by identifier, trait, segment or tag, in the order asked (most recently seen first), with their total',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ ...PageQuery, ...ProfileListFilter }),
    response: ProfileList,
  }),
  exportProfiles: route({
    method: 'GET',
    path: '/api/v1/profiles/export',
    tag: 'profiles',
    summary: 'The filtered customers list as CSV, one part (up to 5,000 rows) at a time; phones and emails masked without pii.read',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({
      ...ProfileListFilter,
      cursor: Type.Optional(Type.String({ maxLength: 200 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 2000 })),
    }),
    response: ProfileExportPart,
  }),
  getProfile: route({
    method: 'GET',
    path: '/api/v1/profiles/:id',
    tag: 'profiles',
    summary: 'Profile 360: traits, identifiers, merge history',
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: IdParams,
    response: ProfileDetail,
  }),
  getProfileByIdentifier: route({
    method: 'GET',
    path: '/api/v1/profiles/by-identifier/:type/:value',
    tag: 'profiles',
    summary: 'Find a profile by any identifier',
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: Type.Object({ type: Type.String({ maxLength: 64 }), value: Type.String({ maxLength: 255 }) }),
    response: ProfileDetail,
  }),
  getTimeline: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/timeline',
    tag: 'profiles',
    summary: "A profile's events, newest first",
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: IdParams,
    query: Type.Object({
      ...PageQuery,
      type: Type.Optional(Type.String({ maxLength: 20 })),
      name: Type.Optional(Type.String({ maxLength: 200 })),
      from: Type.Optional(Timestamp),
      to: Type.Optional(Timestamp),
    }),
    response: Page(TimelineEvent),
  }),
  mergeProfile: route({
    method: 'POST',
    path: '/api/v1/profiles/:id/merge',
    tag: 'profiles',
    summary: 'Merge this profile into another by hand (refused when it would break an identifier limit)',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    body: Type.Object({ intoProfileId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
    response: ProfileDetail,
  }),
  eraseProfile: route({
    method: 'DELETE',
    path: '/api/v1/profiles/:id',
    tag: 'profiles',
    summary: 'Erase a profile (PIPL/GDPR): its events, identifiers, merges, everything; its identifiers are suppressed from then on',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    response: ProfileErasure,
  }),
} as const
