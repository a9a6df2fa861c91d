import { Type, type Static } from '@sinclair/typebox'
import { MAX_ALLOWED_ORIGINS } from '../ingest/browser-origin.js'
import { QuarantinedEvent } from '../quarantine/quarantine-contract.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'

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

/** What the live debugger shows of a source: its latest events and rejections. */
export const SourceDebugger = Type.Object({ events: Type.Array(DebuggerEvent), rejections: Type.Array(QuarantinedEvent) })
export type SourceDebugger = Static<typeof SourceDebugger>

export const sourceRoutes = {
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
    response: SourceDebugger,
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
} as const
