import { Type, type Static } from '@sinclair/typebox'
import { Page, PageQuery, route, SerialIdParams, Timestamp } from '../contract/route-contract.js'

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

/** What a replay ingested: events accepted, and those already there. */
export const QuarantineReplay = Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer() })
export type QuarantineReplay = Static<typeof QuarantineReplay>

export const quarantineRoutes = {
  replayQuarantined: route({
    method: 'POST',
    path: '/api/v1/quarantine/:id/replay',
    tag: 'sources',
    summary: 'Ingest a quarantined event again, as it was or corrected',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: SerialIdParams,
    body: Type.Object({ payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }),
    response: QuarantineReplay,
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
