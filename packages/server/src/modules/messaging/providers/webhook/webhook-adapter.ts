import { createHmac } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { Agent, request } from 'undici'
import type { ProviderAdapter, SendOutcome } from '../provider-adapter.js'

export const WebhookConfig = Type.Object({
  /** Where each message's JSON body is POSTed. */
  baseUrl: Type.String({ pattern: '^https?://.+' }),
  /** Signs every body (HMAC-SHA256); the receiver checks `Reachloop-Signature`. */
  signingSecret: Type.String({ minLength: 16 }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
  /** Extra headers sent with every call (e.g. a proxy's auth). */
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
})
export type WebhookConfig = Static<typeof WebhookConfig>

/**
 * The signature header of a webhook call: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * (Stripe's scheme: the timestamp inside the signed text lets receivers refuse replays).
 *
 * @example
 * webhookSignature('whsec_…', '{"a":1}', 1767225600) // 't=1767225600,v1=5f…'
 */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${mac}`
}

/**
 * The connections webhook calls share: kept alive, at most 128 per receiver (64 queued the calls
 * of 20 concurrent send jobs in bench:send). undici's `request` rather than `fetch`: a broadcast
 * makes one call per message, and fetch's WHATWG streams, signals and Response objects cost
 * several times the CPU per call (bench:send).
 */
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 })

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name]
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null)
}

async function post(config: WebhookConfig, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<SendOutcome> {
  const timeoutMs = config.timeoutMs ?? 10_000
  let statusCode: number
  let answer: Record<string, string | string[] | undefined>
  let text: string
  try {
    const response = await request(config.baseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...config.headers, ...headers },
      body,
      dispatcher: agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal ? { signal } : {}),
    })
    statusCode = response.statusCode
    answer = response.headers
    text = (await response.body.text()).slice(0, 4000)
  } catch (error) {
    const e = error as Error & { code?: string }
    const timedOut = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT'
    return { status: 'retryable', code: timedOut ? 'TIMEOUT' : 'NETWORK', message: e.message || String(e.code) }
  }
  let parsed: unknown = text
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null
  } catch {
    // The receiver's answer is kept as text when it is not JSON.
  }
  if (statusCode >= 200 && statusCode < 300) return { status: 'sent', providerMessageId: header(answer, 'x-message-id'), response: parsed }
  const code = `HTTP_${statusCode}`
  const message = text || `HTTP ${statusCode}`
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) {
    const retryAfter = Number(header(answer, 'retry-after'))
    return { status: 'retryable', code, message, response: parsed, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) }
  }
  return { status: 'permanent', code, message, response: parsed }
}

/**
 * Webhook: the rendered JSON body POSTed to the account's URL, signed, with the message's
 * idempotency key in `Idempotency-Key` so a receiver drops a retry of a message it already took.
 * Hand-written: it is our own protocol.
 */
export const webhookAdapter: ProviderAdapter<WebhookConfig> = {
  kind: 'webhook',
  configSchema: WebhookConfig,
  secretFields: ['signingSecret'],
  acceptsIdempotencyKey: true,
  async send(account, message, deps) {
    if (message.content.channel !== 'webhook')
      return { status: 'permanent', code: 'WRONG_CHANNEL', message: `a ${message.content.channel} message on a webhook account` }
    const body = JSON.stringify({ messageId: message.messageId, profileId: message.to, body: message.content.body })
    const t = Math.floor(deps.clock.now().getTime() / 1000)
    return post(
      account.config,
      body,
      { 'idempotency-key': message.idempotencyKey, 'reachloop-signature': webhookSignature(account.config.signingSecret, body, t) },
      deps.signal,
    )
  },
  async testConnection(account, deps) {
    const body = JSON.stringify({ test: true })
    const t = Math.floor(deps.clock.now().getTime() / 1000)
    const outcome = await post(account.config, body, {
      'reachloop-signature': webhookSignature(account.config.signingSecret, body, t),
      'reachloop-test': '1',
    })
    return outcome.status === 'sent'
      ? { ok: true, detail: `${account.config.baseUrl} answered 2xx` }
      : { ok: false, code: outcome.code, message: outcome.message }
  },
}
