import { Type, type Static } from '@sinclair/typebox'
import { IMPORT_KINDS, ImportMapping } from '../imports/import-mapping.js'
import { MAX_ALLOWED_ORIGINS } from '../ingest/browser-origin.js'
import { IdParams, Page, PageQuery, route, SerialIdParams, Timestamp } from './route-contract.js'

export const SOURCE_KINDS = ['web', 'app', 'mini_program', 'server', 'store_pos', 'shop', 'webhook'] as const

/** A source of events (web, app, mini program, POS…) and its write key. */
export const Source = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Unsafe<(typeof SOURCE_KINDS)[number]>({ type: 'string', enum: [...SOURCE_KINDS] }),
  writeKey: Type.String(),
  /** Origins allowed to send from a browser (CORS), e.g. `https://shop.example.com`; null allows any. */
  allowedOrigins: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Timestamp,
  rotatedAt: Type.Union([Timestamp, Type.Null()]),
})
export type Source = Static<typeof Source>

export const NewSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Type.Unsafe<(typeof SOURCE_KINDS)[number]>({ type: 'string', enum: [...SOURCE_KINDS] }),
  },
  { additionalProperties: false },
)
export type NewSource = Static<typeof NewSource>

/** A change to a source: its name, or the browser origins it takes events from (null or empty: any). */
export const SourceChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    // Checked one by one (INVALID_ORIGIN names the bad entry); the length caps keep a typo from storing a page of text.
    allowedOrigins: Type.Optional(
      Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: MAX_ALLOWED_ORIGINS }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
)
export type SourceChange = Static<typeof SourceChange>

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

/** An event refused at ingestion, with its reason. */
export const QuarantinedEvent = Type.Object({
  id: Type.String(),
  sourceId: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  reason: Type.String(),
  /** Where in the event the refused value is (`properties.items[2].name`); null when the event as a whole is refused. */
  field: Type.Union([Type.String(), Type.Null()]),
  /** The event's position in its request, and the request's id (as in the `x-request-id` response header). */
  index: Type.Union([Type.Integer(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  receivedAt: Timestamp,
  replayedAt: Type.Union([Timestamp, Type.Null()]),
})
export type QuarantinedEvent = Static<typeof QuarantinedEvent>

/** An event as the live debugger shows it: what arrived, when, and on which profile. */
export const DebuggerEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  profileId: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  anonymousId: Type.Union([Type.String(), Type.Null()]),
  messageId: Type.String(),
  timestamp: Timestamp,
  receivedAt: Timestamp,
  properties: Type.Record(Type.String(), Type.Unknown()),
})
export type DebuggerEvent = Static<typeof DebuggerEvent>

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

/** How a source takes webhook pushes: where, the signing secret, and how fields become a call. */
export const SourceWebhook = Type.Object({
  url: Type.String(),
  secret: Type.String(),
  signatureHeader: Type.String(),
  kind: Type.Unsafe<(typeof IMPORT_KINDS)[number]>({ type: 'string', enum: [...IMPORT_KINDS] }),
  mapping: ImportMapping,
})
export type SourceWebhook = Static<typeof SourceWebhook>

export const customerDataRoutes = {
  listSources: route({
    method: 'GET',
    path: '/api/v1/sources',
    tag: 'sources',
    summary: 'Sources of events and their write keys',
    access: { kind: 'workspace', permission: 'profiles.read' },
    response: Type.Object({ items: Type.Array(Source) }),
  }),
  createSource: route({
    method: 'POST',
    path: '/api/v1/sources',
    tag: 'sources',
    summary: 'Create a source with a new write key',
    access: { kind: 'workspace', permission: 'profiles.write' },
    body: NewSource,
    response: Source,
    status: 201,
  }),
  updateSource: route({
    method: 'PATCH',
    path: '/api/v1/sources/:id',
    tag: 'sources',
    summary: 'Rename a source or set the browser origins it takes events from (null: any origin)',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    body: SourceChange,
    response: Source,
  }),
  rotateSourceKey: route({
    method: 'POST',
    path: '/api/v1/sources/:id/rotate-key',
    tag: 'sources',
    summary: "Replace a source's write key (the old one stops working at once)",
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    response: Source,
  }),
  getSourceDebugger: route({
    method: 'GET',
    path: '/api/v1/sources/:id/debugger',
    tag: 'sources',
    summary: 'The latest events and rejections of a source, for the live debugger',
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: IdParams,
    response: Type.Object({ events: Type.Array(DebuggerEvent), rejections: Type.Array(QuarantinedEvent) }),
  }),
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
  deleteSource: route({
    method: 'DELETE',
    path: '/api/v1/sources/:id',
    tag: 'sources',
    summary: 'Delete a source (its events stay)',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  listProfiles: route({
    method: 'GET',
    path: '/api/v1/profiles',
    tag: 'profiles',
    summary: 'Profiles, most recently seen first',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ ...PageQuery, search: Type.Optional(Type.String({ maxLength: 200 })) }),
    response: Page(Profile),
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
  replayQuarantined: route({
    method: 'POST',
    path: '/api/v1/quarantine/:id/replay',
    tag: 'sources',
    summary: 'Ingest a quarantined event again, as it was or corrected',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: SerialIdParams,
    body: Type.Object({ payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }),
    response: Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer() }),
  }),
  eraseProfile: route({
    method: 'DELETE',
    path: '/api/v1/profiles/:id',
    tag: 'profiles',
    summary: 'Erase a profile (PIPL/GDPR): its events, identifiers, merges, everything; its identifiers are suppressed from then on',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    response: Type.Object({ erasedProfiles: Type.Integer(), erasedEvents: Type.Integer(), suppressedIdentifiers: Type.Integer() }),
  }),
  listQuarantine: route({
    method: 'GET',
    path: '/api/v1/quarantine',
    tag: 'sources',
    summary: 'Events refused at ingestion, newest first',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ ...PageQuery }),
    response: Page(QuarantinedEvent),
  }),
} as const
