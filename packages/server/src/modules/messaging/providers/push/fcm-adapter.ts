import { Type, type Static } from '@sinclair/typebox'
import { createHash } from 'node:crypto'
import type { OutgoingMessage, ProviderAccount, ProviderAdapter, ProviderDeps, RenderedMessage, SendOutcome } from '../provider-adapter.js'
import {
  FCM_SCOPE,
  fetchServiceAccountToken,
  GOOGLE_TOKEN_URL,
  parseServiceAccount,
  type ServiceAccountKey,
} from './google-service-account.js'
import { asRecord, httpCall, retryAfterMs, stringField, TokenFetchFailure, type HttpAnswer } from './http-call.js'

/**
 * Firebase Cloud Messaging HTTP v1: `POST /v1/projects/{projectId}/messages:send` with an OAuth 2.0
 * access token from the service account. Hand-written: firebase-admin hard-codes
 * `https://fcm.googleapis.com` (its FCM_SEND_HOST constant) and offers no messaging emulator, so it
 * can neither go through a proxy base URL nor be tested against a local server.
 * Docs: https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send
 */
export const FcmConfig = Type.Object({
  projectId: Type.String({ minLength: 1 }),
  /** The service account's JSON key as downloaded from the Firebase console (client_email, private_key, token_uri…). */
  serviceAccount: Type.String({ minLength: 2 }),
  baseUrl: Type.Optional(Type.String({ default: 'https://fcm.googleapis.com' })),
  /** The OAuth token endpoint; by default the key's token_uri, else https://oauth2.googleapis.com/token. */
  tokenUrl: Type.Optional(Type.String()),
})
export type FcmConfig = Static<typeof FcmConfig>

type PushContent = Extract<RenderedMessage, { channel: 'push' }>

const RETRYABLE_STATUSES = new Set(['UNAVAILABLE', 'INTERNAL', 'QUOTA_EXCEEDED', 'RESOURCE_EXHAUSTED'])

/** The v1 `message` for one device token; the deep link travels in `data` (FCM data values are strings). */
export function fcmPayload(message: OutgoingMessage, content: PushContent, validateOnly = false): Record<string, unknown> {
  const data = { ...content.data, ...(content.deepLink ? { deepLink: content.deepLink } : {}) }
  const android = {
    ...(content.android?.priority ? { priority: content.android.priority === 'high' ? 'HIGH' : 'NORMAL' } : {}),
    ...(content.android?.channelId ? { notification: { channel_id: content.android.channelId } } : {}),
  }
  const aps = {
    ...(content.badge === undefined ? {} : { badge: content.badge }),
    sound: content.ios?.sound ?? 'default',
    ...(content.ios?.threadId ? { 'thread-id': content.ios.threadId } : {}),
  }
  return {
    ...(validateOnly ? { validate_only: true } : {}),
    message: {
      token: message.to,
      notification: { title: content.title, body: content.body },
      ...(Object.keys(data).length > 0 ? { data } : {}),
      ...(message.platform === 'ios' || Object.keys(android).length === 0 ? {} : { android }),
      ...(message.platform === 'android' ? {} : { apns: { payload: { aps } } }),
    },
  }
}

/**
 * Maps FCM's answer. Errors are `{ error: { code, message, status, details: [{ errorCode }] } }`;
 * the FCM `errorCode` (UNREGISTERED, SENDER_ID_MISMATCH…) is kept as the code when there is one.
 * https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode
 */
export function fcmOutcome(answer: HttpAnswer, deps: ProviderDeps): SendOutcome {
  const body = asRecord(answer.json)
  if (answer.status === 200) return { status: 'sent', providerMessageId: stringField(body, 'name') ?? null, response: body }
  const error = asRecord(body.error)
  const details = Array.isArray(error.details) ? error.details.map(asRecord) : []
  const fcmCode = details.map((d) => stringField(d, 'errorCode')).find((c) => c !== undefined)
  const status = stringField(error, 'status')
  const code = fcmCode ?? status ?? `http_${answer.status}`
  const message = stringField(error, 'message') ?? (answer.text.slice(0, 500) || `HTTP ${answer.status}`)
  const response = answer.json ?? answer.text
  if (answer.status === 429 || answer.status >= 500 || RETRYABLE_STATUSES.has(code)) {
    const wait = retryAfterMs(answer.headers.get('retry-after'), deps.clock)
    return { status: 'retryable', code, message, ...(wait === undefined ? {} : { retryAfterMs: wait }), response }
  }
  return { status: 'permanent', code, message, response }
}

function tokenUrlOf(config: FcmConfig, key: ServiceAccountKey): string {
  return config.tokenUrl ?? key.tokenUri ?? GOOGLE_TOKEN_URL
}

function sendUrl(config: FcmConfig): string {
  const base = (config.baseUrl ?? 'https://fcm.googleapis.com').replace(/\/+$/, '')
  return `${base}/v1/projects/${encodeURIComponent(config.projectId)}/messages:send`
}

async function cachedToken(
  account: ProviderAccount<FcmConfig>,
  key: ServiceAccountKey,
  cacheKey: string,
  deps: ProviderDeps,
): Promise<string> {
  return deps.tokens.get(cacheKey, async () => {
    const fetched = await fetchServiceAccountToken(key, tokenUrlOf(account.config, key), FCM_SCOPE, deps)
    if ('status' in fetched) throw new TokenFetchFailure(fetched)
    return fetched
  })
}

async function post(config: FcmConfig, token: string, payload: unknown, deps: ProviderDeps) {
  return httpCall(deps, sendUrl(config), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  })
}

/** 401 with THIRD_PARTY_AUTH_ERROR is the app's APNs/web-push credential, which a fresh Google token does not fix. */
function tokenRefused(outcome: SendOutcome, answer: HttpAnswer): boolean {
  return answer.status === 401 && outcome.status !== 'sent' && outcome.code !== 'THIRD_PARTY_AUTH_ERROR'
}

export const fcmAdapter: ProviderAdapter<FcmConfig> = {
  kind: 'fcm',
  configSchema: FcmConfig,
  secretFields: ['serviceAccount'],
  // FCM v1 has no idempotency key: a repeated send is a second notification.
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    const content = message.content
    if (content.channel !== 'push')
      return { status: 'permanent', code: 'wrong_channel', message: `FCM sends push messages, not ${content.channel}` }
    const key = parseServiceAccount(account.config.serviceAccount)
    if ('status' in key) return key
    // The cache key names the key itself, so a corrected key under the same address gets a new token.
    const fingerprint = createHash('sha256').update(key.privateKey).digest('hex').slice(0, 16)
    const cacheKey = `fcm:${account.id}:${key.clientEmail}:${fingerprint}`
    let outcome: SendOutcome = { status: 'retryable', code: 'not_sent', message: 'not sent' }
    // A 401 means the cached token was revoked or expired early: drop it and try once with a fresh one.
    for (let attempt = 0; attempt < 2; attempt++) {
      let token: string
      try {
        token = await cachedToken(account, key, cacheKey, deps)
      } catch (error) {
        if (error instanceof TokenFetchFailure) return error.outcome
        throw error
      }
      const result = await post(account.config, token, fcmPayload(message, content), deps)
      if ('failure' in result) return result.failure
      outcome = fcmOutcome(result.answer, deps)
      if (!tokenRefused(outcome, result.answer)) return outcome
      await deps.tokens.invalidate(cacheKey, token)
    }
    return outcome
  },

  /**
   * Fetches a fresh OAuth token (bypassing the cache, so the key itself is proven), then asks FCM to
   * validate (`validate_only: true`) a send to a token no device has: INVALID_ARGUMENT proves the
   * project, the API being enabled and the account's permission; nothing is delivered.
   */
  async testConnection(account, deps) {
    const key = parseServiceAccount(account.config.serviceAccount)
    if ('status' in key) return { ok: false, code: key.code, message: key.message }
    const fetched = await fetchServiceAccountToken(key, tokenUrlOf(account.config, key), FCM_SCOPE, deps)
    if ('status' in fetched) return { ok: false, code: fetched.code, message: fetched.message }
    const probe: OutgoingMessage = {
      messageId: 'connection-test',
      idempotencyKey: 'connection-test',
      to: 'reachloop-connection-test',
      platform: 'android',
      content: { channel: 'push', title: 'Reachloop', body: 'Connection test' },
    }
    const result = await post(account.config, fetched.token, fcmPayload(probe, probe.content as PushContent, true), deps)
    if ('failure' in result) return { ok: false, code: result.failure.code, message: result.failure.message }
    const outcome = fcmOutcome(result.answer, deps)
    if (outcome.status === 'sent') return { ok: true, detail: `FCM accepted the service account ${key.clientEmail}` }
    if (outcome.code === 'INVALID_ARGUMENT') {
      return {
        ok: true,
        detail: `FCM accepted the service account ${key.clientEmail} for ${account.config.projectId} (test token refused as expected)`,
      }
    }
    return { ok: false, code: outcome.code, message: outcome.message }
  },
}
