import { Type, type Static } from '@sinclair/typebox'
import type { OutgoingMessage, ProviderAdapter, ProviderDeps, RenderedMessage, SendOutcome } from '../provider-adapter.js'
import { asRecord, httpCall, retryAfterMs, stringField, type HttpAnswer } from './http-call.js'

/**
 * JPush (极光推送) Push API v3: `POST /v3/push` with HTTP Basic `base64(appKey:masterSecret)`.
 * Hand-written: the official Node SDK (jpush-async / jpush-sdk) hard-codes https://api.jpush.cn,
 * cannot take a proxy base URL, and is built on the deprecated `request` package.
 * Docs: https://docs.jiguang.cn/jpush/server/push/rest_api_v3_push
 */
export const JPushConfig = Type.Object({
  appKey: Type.String({ minLength: 1 }),
  masterSecret: Type.String({ minLength: 1 }),
  /** The Beijing data centre is https://bjapi.push.jiguang.cn. */
  baseUrl: Type.Optional(Type.String({ default: 'https://api.jpush.cn' })),
  /** `options.apns_production`: JPush relays iOS notifications to APNs production (true) or sandbox. */
  apnsProduction: Type.Optional(Type.Boolean({ default: true })),
  /** `options.time_to_live`: how long JPush keeps the notification for an offline device (seconds, at most 10 days). */
  timeToLiveSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 864_000, default: 86_400 })),
})
export type JPushConfig = Static<typeof JPushConfig>

type PushContent = Extract<RenderedMessage, { channel: 'push' }>

/** JPush error codes worth a retry: internal error, internal timeout, and the rate limits (2001 old, 2002 current). */
const RETRYABLE_CODES = new Set([1000, 1030, 2001, 2002])

/** The request body JPush documents for one notification to one registration id. */
export function jpushPayload(config: JPushConfig, message: OutgoingMessage, content: PushContent): Record<string, unknown> {
  const extras = { ...content.data, ...(content.deepLink ? { deepLink: content.deepLink } : {}) }
  const android = {
    alert: content.body,
    title: content.title,
    ...(content.android?.channelId ? { channel_id: content.android.channelId } : {}),
    // JPush's priority is Android's notification priority (-2…2): 1 is PRIORITY_HIGH.
    ...(content.android?.priority ? { priority: content.android.priority === 'high' ? 1 : 0 } : {}),
    // SDK ≥ 4.2.2 opens `intent.url` on a tap; a deep link (scheme://…) is one of the documented forms.
    ...(content.deepLink ? { intent: { url: content.deepLink } } : {}),
    extras,
  }
  const ios = {
    alert: { title: content.title, body: content.body },
    sound: content.ios?.sound ?? 'default',
    ...(content.badge === undefined ? {} : { badge: content.badge }),
    ...(content.ios?.threadId ? { 'thread-id': content.ios.threadId } : {}),
    extras,
  }
  const platform = message.platform ?? 'all'
  return {
    platform,
    audience: { registration_id: [message.to] },
    notification: {
      ...(platform === 'ios' ? {} : { android }),
      ...(platform === 'android' ? {} : { ios }),
    },
    options: { apns_production: config.apnsProduction ?? true, time_to_live: config.timeToLiveSeconds ?? 86_400 },
  }
}

/** Maps JPush's answer: 200 carries `msg_id`; errors carry `{ error: { code, message } }`. */
export function jpushOutcome(answer: HttpAnswer, deps: ProviderDeps): SendOutcome {
  const body = asRecord(answer.json)
  if (answer.status === 200) {
    const msgId = body.msg_id
    return { status: 'sent', providerMessageId: msgId === undefined || msgId === null ? null : String(msgId), response: body }
  }
  const error = asRecord(body.error)
  const numeric = typeof error.code === 'number' ? error.code : Number(error.code)
  const code = Number.isFinite(numeric) ? String(numeric) : `http_${answer.status}`
  const message = stringField(error, 'message') ?? (answer.text.slice(0, 500) || `HTTP ${answer.status}`)
  const response = answer.json ?? answer.text
  if (answer.status === 429 || answer.status >= 500 || RETRYABLE_CODES.has(numeric)) {
    // X-Rate-Limit-Reset: seconds until the rate window reopens (JPush's rate-limit headers).
    const wait = retryAfterMs(answer.headers.get('retry-after') ?? answer.headers.get('x-rate-limit-reset'), deps.clock)
    return { status: 'retryable', code, message, ...(wait === undefined ? {} : { retryAfterMs: wait }), response }
  }
  return { status: 'permanent', code, message, response }
}

function authorization(config: JPushConfig): string {
  return `Basic ${Buffer.from(`${config.appKey}:${config.masterSecret}`, 'utf8').toString('base64')}`
}

function endpoint(config: JPushConfig, path: string): string {
  return `${(config.baseUrl ?? 'https://api.jpush.cn').replace(/\/+$/, '')}${path}`
}

export const jpushAdapter: ProviderAdapter<JPushConfig> = {
  kind: 'jpush',
  configSchema: JPushConfig,
  secretFields: ['masterSecret'],
  // `options.sendno` is only echoed back; JPush does not drop a repeated push.
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    const content = message.content
    if (content.channel !== 'push')
      return { status: 'permanent', code: 'wrong_channel', message: `JPush sends push messages, not ${content.channel}` }
    const result = await httpCall(deps, endpoint(account.config, '/v3/push'), {
      method: 'POST',
      headers: { authorization: authorization(account.config), 'content-type': 'application/json' },
      body: JSON.stringify(jpushPayload(account.config, message, content)),
    })
    return 'failure' in result ? result.failure : jpushOutcome(result.answer, deps)
  },

  /**
   * `POST /v3/push/validate` checks a push without sending anything. It targets a registration id no
   * device has, so JPush answers 1011 (no target) once the credentials pass; 1004 / 401 means they did not.
   */
  async testConnection(account, deps) {
    const probe: OutgoingMessage = {
      messageId: 'connection-test',
      idempotencyKey: 'connection-test',
      to: 'reachloop-connection-test',
      content: { channel: 'push', title: 'Reachloop', body: 'Connection test' },
    }
    const content = probe.content as PushContent
    const result = await httpCall(deps, endpoint(account.config, '/v3/push/validate'), {
      method: 'POST',
      headers: { authorization: authorization(account.config), 'content-type': 'application/json' },
      body: JSON.stringify(jpushPayload(account.config, probe, content)),
    })
    if ('failure' in result) return { ok: false, code: result.failure.code, message: result.failure.message }
    const outcome = jpushOutcome(result.answer, deps)
    if (outcome.status === 'sent') return { ok: true, detail: 'JPush accepted the credentials and validated a push' }
    if (outcome.code === '1011')
      return { ok: true, detail: 'JPush accepted the credentials (the test registration id has no device: 1011)' }
    return { ok: false, code: outcome.code, message: outcome.message }
  },
}
