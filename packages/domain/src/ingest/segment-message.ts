import { normalizeIdentifier } from '../identity/normalize-identifier.js'
import type { Identifier } from '../identity/identifier-types.js'
import { isStorableInstant } from '../time/instant-range.js'
import { unstorableValue } from './storable-value.js'
import { PLATFORM_EVENTS } from './event-vocabulary.js'

/** The Segment call types the tracking API accepts. */
export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]

type Json = Record<string, unknown>

/** A message that passed validation, with its times settled (clock skew corrected). */
export interface AcceptedMessage {
  type: MessageType
  messageId: string | null
  userId: string | null
  anonymousId: string | null
  /** Event name (track), page or screen name, group id (group), previous id (alias). */
  name: string | null
  properties: Json
  traits: Json
  context: Json
  timestamp: Date
  sentAt: Date | null
  raw: Json
}

/** Why a message was refused: a code, why, and the path of the refused value inside the message when one is to blame. */
export interface MessageProblem {
  code: 'INVALID_EVENT' | 'EVENT_TOO_LARGE'
  reason: string
  field: string | null
}

/** True for a JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const idText = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null
const parseTime = (v: unknown): Date | null | 'invalid' => {
  if (v === undefined || v === null) return null
  if (typeof v !== 'string' && !(v instanceof Date)) return 'invalid'
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? 'invalid' : d
}

/** Largest accepted message, serialized (Segment's limit). */
export const MAX_MESSAGE_BYTES = 32 * 1024

/** Longest `userId`, `anonymousId`, `messageId`, `groupId` or `previousId`, in UTF-8 bytes (ids are keys of indexes). */
export const MAX_ID_BYTES = 2000

const utf8 = new TextEncoder()
const storableTime = (d: Date) => isStorableInstant(d.getTime())

const RESERVED_BY_DEFAULT: ReadonlySet<string> = new Set(PLATFORM_EVENTS)

/**
 * Validates one message of the Segment HTTP Tracking API and settles its time:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)` when the client sent `sentAt`, which
 * corrects a device's wrong clock; otherwise the client's timestamp, or `receivedAt`.
 *
 * @example
 * parseMessage({ type: 'track', event: 'Order Completed', userId: 'u1' }, new Date())
 */
export function parseMessage(
  raw: unknown,
  receivedAt: Date,
  typeFromPath?: MessageType,
  /** Names of the events Reachloop records itself (the server passes every module's): refused from clients. */
  reserved: ReadonlySet<string> = RESERVED_BY_DEFAULT,
): { ok: true; message: AcceptedMessage } | { ok: false; problem: MessageProblem } {
  const bad = (reason: string, field: string | null = null) => ({
    ok: false as const,
    problem: { code: 'INVALID_EVENT' as const, reason, field },
  })
  if (!isObject(raw)) return bad('the event must be a JSON object')
  // Before anything recursive (JSON.stringify below): nesting is bounded here.
  const unstorable = unstorableValue(raw)
  if (unstorable) return bad(`${unstorable.field} ${unstorable.reason}`, unstorable.field)
  if (JSON.stringify(raw).length > MAX_MESSAGE_BYTES)
    return { ok: false, problem: { code: 'EVENT_TOO_LARGE', reason: `the event is over ${MAX_MESSAGE_BYTES / 1024} KB`, field: null } }
  const type = (typeFromPath ?? raw.type) as MessageType
  if (!MESSAGE_TYPES.includes(type)) return bad(`type must be one of ${MESSAGE_TYPES.join(', ')}`)
  for (const field of ['userId', 'anonymousId', 'messageId', 'groupId', 'previousId'] as const) {
    const id = idText(raw[field])
    if (id && id.length * 3 > MAX_ID_BYTES && utf8.encode(id).length > MAX_ID_BYTES)
      return bad(`${field} is over ${MAX_ID_BYTES} bytes`, field)
  }
  const userId = idText(raw.userId)
  const anonymousId = idText(raw.anonymousId)
  if (!userId && !anonymousId) return bad('userId or anonymousId is required', 'userId')
  for (const field of ['properties', 'traits', 'context'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field])) return bad(`${field} must be an object`, field)
  }
  let name: string | null = null
  if (type === 'track') {
    name = typeof raw.event === 'string' && raw.event.trim() !== '' ? raw.event : null
    if (!name) return bad('event is required for a track call', 'event')
    if (reserved.has(name)) return bad(`"${name}" is an event Reachloop records itself; send yours under another name`, 'event')
  } else if (type === 'page' || type === 'screen') {
    name = typeof raw.name === 'string' ? raw.name : null
  } else if (type === 'group') {
    name = idText(raw.groupId)
    if (!name) return bad('groupId is required for a group call', 'groupId')
  } else if (type === 'alias') {
    name = idText(raw.previousId)
    if (!name || !userId) return bad('previousId and userId are required for an alias call', name ? 'userId' : 'previousId')
  }
  const sentAt = parseTime(raw.sentAt)
  const timeField = raw.timestamp !== undefined && raw.timestamp !== null ? 'timestamp' : 'originalTimestamp'
  const original = parseTime(raw[timeField])
  if (sentAt === 'invalid') return bad('sentAt is not a timestamp', 'sentAt')
  if (original === 'invalid') return bad(`${timeField} is not a timestamp`, timeField)
  if (sentAt && !storableTime(sentAt)) return bad('sentAt is outside the years 0001 to 9999', 'sentAt')
  if (original && !storableTime(original)) return bad(`${timeField} is outside the years 0001 to 9999`, timeField)
  const timestamp = original && sentAt ? new Date(receivedAt.getTime() - (sentAt.getTime() - original.getTime())) : (original ?? receivedAt)
  if (!storableTime(timestamp))
    return bad(`${timeField} corrected by sentAt for the device's clock falls outside the years 0001 to 9999`, 'sentAt')
  const context = isObject(raw.context) ? raw.context : {}
  return {
    ok: true,
    message: {
      type,
      messageId: idText(raw.messageId),
      userId,
      anonymousId,
      name,
      properties: isObject(raw.properties) ? raw.properties : {},
      traits: isObject(raw.traits) ? raw.traits : isObject(context.traits) ? context.traits : {},
      context,
      timestamp,
      sentAt,
      raw,
    },
  }
}

/** `context.externalIds` types that map to our identifier types. */
const EXTERNAL_ID_TYPES: Record<string, string> = {
  user_id: 'user_id',
  phone: 'phone',
  email: 'email',
  device_id: 'device_id',
  wechat_openid: 'wechat_openid',
  wechat_unionid: 'wechat_unionid',
  wecom_external_userid: 'wecom_external_userid',
  youzan_id: 'youzan_id',
  douyin_id: 'douyin_id',
  tmall_id: 'tmall_id',
  jd_id: 'jd_id',
}

/**
 * The identifiers a message carries: userId, anonymousId, `phone` and `email` traits,
 * `context.device.id`, and `context.externalIds` (a WeChat openid is scoped by its app id:
 * `<appId>:<openid>`). A workspace's custom types (`knownTypes`) pass through from `externalIds` too.
 */
export function identifiersOf(message: AcceptedMessage, options: { knownTypes: ReadonlySet<string>; region?: 'CN' }): Identifier[] {
  const found: Identifier[] = []
  const add = (type: string, raw: unknown) => {
    const value = normalizeIdentifier(type, raw, options.region)
    if (value !== null) found.push({ type, value })
  }
  add('user_id', message.userId)
  add('anonymous_id', message.anonymousId)
  // An alias call links a previous id, in practice the anonymous id the visitor had before logging in.
  if (message.type === 'alias' && message.name) add('anonymous_id', message.name)
  add('phone', message.traits.phone)
  add('email', message.traits.email)
  const device = message.context.device
  if (isObject(device)) add('device_id', device.id)
  const external = message.context.externalIds
  if (Array.isArray(external)) {
    for (const entry of external) {
      if (!isObject(entry) || typeof entry.type !== 'string') continue
      const type = EXTERNAL_ID_TYPES[entry.type] ?? (options.knownTypes.has(entry.type) ? entry.type : undefined)
      if (!type) continue
      if (type === 'wechat_openid') add(type, idText(entry.id) ? `${idText(entry.appId) ?? 'default'}:${idText(entry.id)}` : null)
      else add(type, entry.id)
    }
  }
  return found
}
