import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { Id, Nullable } from './schema-helpers.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'
import { CHANNELS, MESSAGE_CATEGORIES, MESSAGE_STATUSES } from './channels.js'

export const MessageSummary = Type.Object({
  id: Type.String(),
  profileId: Nullable(Type.String()),
  channel: stringEnum(CHANNELS),
  category: stringEnum(MESSAGE_CATEGORIES),
  templateId: Nullable(Type.String()),
  templateName: Nullable(Type.String()),
  broadcastId: Nullable(Type.String()),
  address: Nullable(Type.String()),
  status: stringEnum(MESSAGE_STATUSES),
  reason: Nullable(Type.String()),
  test: Type.Boolean(),
  queuedAt: Timestamp,
  updatedAt: Timestamp,
})
export type MessageSummary = Static<typeof MessageSummary>

export const MessageStatusTime = Type.Object({ status: Type.String(), at: Timestamp })
export const MessageAttempt = Type.Object({
  attempt: Type.Integer(),
  at: Timestamp,
  outcome: Type.String(),
  code: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  response: Type.Unknown(),
})
export const MessageDetail = Type.Composite([
  MessageSummary,
  Type.Object({
    idempotencyKey: Type.String(),
    providerAccountId: Nullable(Type.String()),
    providerMessageId: Nullable(Type.String()),
    providerResponse: Type.Unknown(),
    content: Type.Unknown(),
    attempts: Type.Array(MessageAttempt),
    /** Every status the message reached, with its time, in order. */
    timeline: Type.Array(MessageStatusTime),
  }),
])
export type MessageDetail = Static<typeof MessageDetail>

export const MessageQuery = Type.Object({
  status: Type.Optional(stringEnum(MESSAGE_STATUSES)),
  channel: Type.Optional(stringEnum(CHANNELS)),
  templateId: Type.Optional(Id),
  broadcastId: Type.Optional(Id),
  profileId: Type.Optional(Id),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

/** Messages per day and channel by outcome (the delivery charts). */
export const DeliveryStats = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      channel: stringEnum(CHANNELS),
      queued: Type.Integer(),
      /** Accepted by the provider, whatever came after: delivered and bounced messages count here too. */
      sent: Type.Integer(),
      delivered: Type.Integer(),
      /** Not delivered: never accepted, or bounced after it was sent (a bounce counts in `sent` and here). */
      failed: Type.Integer(),
      suppressed: Type.Integer(),
      opened: Type.Integer(),
      clicked: Type.Integer(),
    }),
  ),
})
export type DeliveryStats = Static<typeof DeliveryStats>

const ws = (permission: 'messaging.read' | 'messaging.write' | 'profiles.read' | 'profiles.write') =>
  ({ kind: 'workspace', permission }) as const
const TAG = 'messaging'

export const messageLogRoutes = {
  listMessages: route({
    method: 'GET',
    path: '/api/v1/messaging/messages',
    tag: TAG,
    summary: 'The message log, newest first, with filters',
    access: ws('messaging.read'),
    query: MessageQuery,
    response: Type.Object({ items: Type.Array(MessageSummary), nextCursor: Nullable(Type.String()) }),
  }),
  getMessage: route({
    method: 'GET',
    path: '/api/v1/messaging/messages/:id',
    tag: TAG,
    summary: 'A message: rendered content, every status with its time, every provider call',
    access: ws('messaging.read'),
    params: IdParams,
    response: MessageDetail,
  }),
  deliveryStats: route({
    method: 'GET',
    path: '/api/v1/messaging/stats',
    tag: TAG,
    summary: 'Messages per day and channel by outcome',
    access: ws('messaging.read'),
    query: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }),
    response: DeliveryStats,
  }),
}
