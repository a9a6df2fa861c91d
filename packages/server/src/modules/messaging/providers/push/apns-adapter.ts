import { Type, type Static } from '@sinclair/typebox'
import { createHash } from 'node:crypto'
import type { OutgoingMessage, ProviderAccount, ProviderAdapter, ProviderDeps, RenderedMessage, SendOutcome } from '../provider-adapter.js'
import { asRecord, stringField, TokenFetchFailure } from './http-call.js'
import { http2Request, Http2Unanswered, type Http2Answer } from './http2-pool.js'
import { signJwt } from './jws.js'

/**
 * Apple Push Notification service over HTTP/2 with token-based (.p8) authentication. Hand-written on
 * node:http2: Apple publishes no Node SDK, and the community ones would add little over one request.
 * Docs: https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns
 */
export const ApnsConfig = Type.Object({
  /** The 10-character Team ID (the provider token's `iss`). */
  teamId: Type.String({ minLength: 1 }),
  /** The 10-character Key ID of the .p8 key (the provider token's `kid`). */
  keyId: Type.String({ minLength: 1 }),
  /** The .p8 signing key, PEM (-----BEGIN PRIVATE KEY-----). */
  privateKey: Type.String({ minLength: 1 }),
  /** The app's bundle id: the `apns-topic`. */
  bundleId: Type.String({ minLength: 1 }),
  /** Production (api.push.apple.com) or the development sandbox (api.sandbox.push.apple.com). */
  production: Type.Optional(Type.Boolean({ default: true })),
  /** Overrides the endpoint `production` picks; `http://` speaks cleartext HTTP/2 (h2c) to a local proxy. */
  baseUrl: Type.Optional(Type.String({ default: 'https://api.push.apple.com' })),
  /** `apns-expiration`: how long APNs keeps trying an offline device (seconds; 0 = deliver once). */
  ttlSeconds: Type.Optional(Type.Integer({ minimum: 0, default: 86_400 })),
})
export type ApnsConfig = Static<typeof ApnsConfig>

type PushContent = Extract<RenderedMessage, { channel: 'push' }>

/** Apple accepts a provider token for an hour and refuses refreshes more often than every 20 minutes: keep one 50. */
const PROVIDER_TOKEN_LIFETIME_MS = 50 * 60_000
const RETRYABLE_STATUSES = new Set([429, 500, 503])
const STALE_TOKEN_REASONS = new Set(['ExpiredProviderToken', 'InvalidProviderToken'])
/** The namespace of apns-ids derived from idempotency keys (an arbitrary fixed UUID). */
const APNS_ID_NAMESPACE = '6f1c1c9e-4a0b-4c55-9d8e-2b8f3a7e5d10'

/**
 * A UUID (RFC 9562 version 5: SHA-1 of namespace and name) derived from the idempotency key, so every
 * retry of a message carries the same `apns-id`. APNs does not drop duplicates by it; it only names
 * the notification in APNs' answers and in Apple's delivery logs.
 */
export function apnsIdFor(idempotencyKey: string): string {
  const namespace = Buffer.from(APNS_ID_NAMESPACE.replaceAll('-', ''), 'hex')
  const bytes = createHash('sha1').update(namespace).update(idempotencyKey, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The JSON payload: the `aps` dictionary Apple defines, and custom keys (data, deepLink) beside it. */
export function apnsPayload(content: PushContent): Record<string, unknown> {
  const { aps: _reserved, ...data } = content.data ?? {}
  return {
    aps: {
      alert: { title: content.title, body: content.body },
      ...(content.badge === undefined ? {} : { badge: content.badge }),
      sound: content.ios?.sound ?? 'default',
      ...(content.ios?.threadId ? { 'thread-id': content.ios.threadId } : {}),
    },
    ...data,
    ...(content.deepLink ? { deepLink: content.deepLink } : {}),
  }
}

/** Maps APNs' answer: 200 with the `apns-id` header; errors are `{ reason }` (BadDeviceToken, Unregistered…). */
export function apnsOutcome(answer: Http2Answer, apnsId: string): SendOutcome {
  const body = asRecord(parseJson(answer.body))
  if (answer.status === 200) {
    const id = answer.headers['apns-id']
    return { status: 'sent', providerMessageId: typeof id === 'string' ? id : apnsId, response: { apnsId: id ?? apnsId } }
  }
  const code = stringField(body, 'reason') ?? `http_${answer.status}`
  const message = `APNs answered ${answer.status} ${code}`
  const response = { status: answer.status, ...body }
  if (RETRYABLE_STATUSES.has(answer.status)) return { status: 'retryable', code, message, response }
  return { status: 'permanent', code, message, response }
}

function origin(config: ApnsConfig): string {
  const fallback = config.production === false ? 'https://api.sandbox.push.apple.com' : 'https://api.push.apple.com'
  return (config.baseUrl ?? fallback).replace(/\/+$/, '')
}

/** The cache key names the signing key itself, so a corrected .p8 under the same Key ID gets a new token. */
function tokenCacheKey(config: ApnsConfig): string {
  const fingerprint = createHash('sha256').update(config.privateKey).digest('hex').slice(0, 16)
  return `apns:${config.teamId}:${config.keyId}:${fingerprint}`
}

function providerToken(config: ApnsConfig, deps: ProviderDeps): Promise<string> {
  return deps.tokens.get(tokenCacheKey(config), async () => {
    const iat = Math.floor(deps.clock.now().getTime() / 1000)
    try {
      return {
        token: signJwt({ alg: 'ES256', kid: config.keyId }, { iss: config.teamId, iat }, config.privateKey),
        expiresInMs: PROVIDER_TOKEN_LIFETIME_MS,
      }
    } catch (error) {
      throw new TokenFetchFailure({
        status: 'permanent',
        code: 'invalid_private_key',
        message: `The .p8 key cannot sign: ${(error as Error).message}`,
      })
    }
  })
}

/** Posts one notification, refreshing the provider token once if APNs calls it expired or invalid. */
async function deliver(
  account: ProviderAccount<ApnsConfig>,
  message: OutgoingMessage,
  payload: unknown,
  deps: ProviderDeps,
): Promise<SendOutcome> {
  const { config } = account
  const apnsId = apnsIdFor(message.idempotencyKey)
  let outcome: SendOutcome = { status: 'retryable', code: 'not_sent', message: 'not sent' }
  for (let attempt = 0; attempt < 2; attempt++) {
    let token: string
    try {
      token = await providerToken(config, deps)
    } catch (error) {
      if (error instanceof TokenFetchFailure) return error.outcome
      throw error
    }
    const headers = {
      ':method': 'POST',
      ':path': `/3/device/${encodeURIComponent(message.to)}`,
      authorization: `bearer ${token}`,
      'apns-topic': config.bundleId,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-id': apnsId,
      'apns-expiration': String(Math.floor(deps.clock.now().getTime() / 1000) + (config.ttlSeconds ?? 86_400)),
    }
    try {
      outcome = apnsOutcome(await http2Request(account.id, origin(config), headers, JSON.stringify(payload), deps.signal), apnsId)
    } catch (error) {
      if (error instanceof Http2Unanswered) return { status: 'retryable', code: error.code, message: error.message }
      throw error
    }
    if (outcome.status === 'sent' || !STALE_TOKEN_REASONS.has(outcome.code)) return outcome
    await deps.tokens.invalidate(tokenCacheKey(config), token)
  }
  return outcome
}

/** Closes the pooled HTTP/2 sessions to APNs (at shutdown). */
export { closeHttp2Sessions as closeApnsSessions } from './http2-pool.js'

/** A syntactically valid device token no device has (64 hex zeros). */
const PROBE_DEVICE = '0'.repeat(64)

export const apnsAdapter: ProviderAdapter<ApnsConfig> = {
  kind: 'apns',
  configSchema: ApnsConfig,
  secretFields: ['privateKey'],
  // apns-id only identifies a notification; APNs delivers a repeated request again.
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    const content = message.content
    if (content.channel !== 'push')
      return { status: 'permanent', code: 'wrong_channel', message: `APNs sends push messages, not ${content.channel}` }
    return deliver(account, message, apnsPayload(content), deps)
  },

  /**
   * Signs a provider token and posts to a device token no device has. APNs checks the token and the
   * topic before the device, so 400 BadDeviceToken proves the key, team and bundle id; nothing is delivered.
   */
  async testConnection(account, deps) {
    const probe: OutgoingMessage = {
      messageId: 'connection-test',
      idempotencyKey: 'connection-test',
      to: PROBE_DEVICE,
      content: { channel: 'push', title: 'Reachloop', body: 'Connection test' },
    }
    const outcome = await deliver(account, probe, apnsPayload(probe.content as PushContent), deps)
    if (outcome.status === 'sent') return { ok: true, detail: 'APNs accepted the provider token' }
    if (outcome.code === 'BadDeviceToken') {
      return { ok: true, detail: `APNs accepted the provider token for ${account.config.bundleId} (test device refused as expected)` }
    }
    return { ok: false, code: outcome.code, message: outcome.message }
  },
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}
