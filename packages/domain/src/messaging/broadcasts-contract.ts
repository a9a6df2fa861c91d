import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })

/**
 * When a broadcast runs: now, once at an instant, or every day / week / month at a time of day in
 * the workspace's time zone (a monthly day past the month's end runs on its last day).
 */
export const BroadcastSchedule = Type.Union([
  Type.Object({ kind: Type.Literal('now') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('once'), at: Timestamp }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('daily'), time: Time }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('weekly'),
      time: Time,
      weekdays: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('monthly'), time: Time, dayOfMonth: Type.Integer({ minimum: 1, maximum: 31 }) },
    { additionalProperties: false },
  ),
])
export type BroadcastSchedule = Static<typeof BroadcastSchedule>

export const BROADCAST_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const
export type BroadcastState = (typeof BROADCAST_STATES)[number]

/** A run's progress: its frozen audience and how far its messages got. */
export const BroadcastRun = Type.Object({
  id: Type.String(),
  state: stringEnum(['preparing', 'sending', 'paused', 'completed', 'cancelled'] as const),
  scheduledFor: Timestamp,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  finishedAt: Type.Union([Timestamp, Type.Null()]),
  audienceSize: Type.Integer(),
  holdoutSize: Type.Integer(),
  queued: Type.Integer(),
  sending: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  suppressed: Type.Integer(),
  opened: Type.Integer(),
  clicked: Type.Integer(),
  /** Share of the audience (holdout excluded) whose message is done, 0–100. */
  progress: Type.Number(),
})
export type BroadcastRun = Static<typeof BroadcastRun>

export const Broadcast = Type.Object({
  id: Type.String(),
  name: Type.String(),
  templateId: Type.String(),
  segmentId: Type.String(),
  schedule: BroadcastSchedule,
  localTime: Type.Boolean(),
  holdoutPercent: Type.Number(),
  ratePerMinute: Type.Union([Type.Integer(), Type.Null()]),
  state: stringEnum(BROADCAST_STATES),
  nextRunAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  runs: Type.Array(BroadcastRun),
})
export type Broadcast = Static<typeof Broadcast>

export const NewBroadcast = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    templateId: Type.String({ format: 'uuid' }),
    segmentId: Type.String({ format: 'uuid' }),
    schedule: BroadcastSchedule,
    /** Send at the schedule's time of day in each customer's own time zone. */
    localTime: Type.Optional(Type.Boolean()),
    /** A share of the audience that receives nothing, kept to measure the effect. */
    holdoutPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 50 })),
    ratePerMinute: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()])),
    /** Schedule at once (default) or keep as a draft. */
    draft: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type NewBroadcast = Static<typeof NewBroadcast>

const ws = (permission: 'messaging.read' | 'messaging.write') => ({ kind: 'workspace', permission }) as const
const TAG = 'broadcasts'

export const broadcastRoutes = {
  listBroadcasts: route({
    method: 'GET',
    path: '/api/v1/broadcasts',
    tag: TAG,
    summary: 'Broadcasts with their latest runs',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(Broadcast) }),
  }),
  getBroadcast: route({
    method: 'GET',
    path: '/api/v1/broadcasts/:id',
    tag: TAG,
    summary: 'A broadcast and its runs’ progress',
    access: ws('messaging.read'),
    params: IdParams,
    response: Broadcast,
  }),
  createBroadcast: route({
    method: 'POST',
    path: '/api/v1/broadcasts',
    tag: TAG,
    summary: 'Create a broadcast of a published template to a segment',
    access: ws('messaging.write'),
    body: NewBroadcast,
    response: Broadcast,
    status: 201,
  }),
  scheduleBroadcast: route({
    method: 'POST',
    path: '/api/v1/broadcasts/:id/schedule',
    tag: TAG,
    summary: 'Schedule a draft broadcast',
    access: ws('messaging.write'),
    params: IdParams,
    response: Broadcast,
  }),
  pauseBroadcast: route({
    method: 'POST',
    path: '/api/v1/broadcasts/:id/pause',
    tag: TAG,
    summary: 'Pause sending (queued messages wait)',
    access: ws('messaging.write'),
    params: IdParams,
    response: Broadcast,
  }),
  resumeBroadcast: route({
    method: 'POST',
    path: '/api/v1/broadcasts/:id/resume',
    tag: TAG,
    summary: 'Resume a paused broadcast',
    access: ws('messaging.write'),
    params: IdParams,
    response: Broadcast,
  }),
  cancelBroadcast: route({
    method: 'POST',
    path: '/api/v1/broadcasts/:id/cancel',
    tag: TAG,
    summary: 'Cancel: messages not yet sent are not sent, no further runs',
    access: ws('messaging.write'),
    params: IdParams,
    response: Broadcast,
  }),
}
