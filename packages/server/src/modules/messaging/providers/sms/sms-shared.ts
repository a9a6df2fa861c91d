import { timingSafeEqual } from 'node:crypto'
import type { CallbackRequest, CallbackResult, ProviderDeps, SendOutcome } from '../provider-adapter.js'

/** How long one provider call may take before it counts as a timeout (retryable). */
export const SMS_REQUEST_TIMEOUT_MS = 10_000

/** The header (or query parameter `token`) carrying an account's callback token. */
export const CALLBACK_TOKEN_HEADER = 'x-reachloop-callback-token'

/**
 * Aliyun's and Tencent's SMS pushes carry no signature of their own, so the callback URL we give them
 * holds a per-account secret: `…?token=<callbackToken>` (or the header, for a proxy that adds it).
 * Returns the refusal, or null when the token matches.
 */
export function refuseWithoutCallbackToken(
  expected: string | undefined,
  request: CallbackRequest,
): Extract<CallbackResult, { ok: false }> | null {
  if (!expected)
    return { ok: false, reason: 'bad_signature', message: 'the account has no callbackToken configured, so no push can be trusted' }
  const given = request.query.token ?? request.headers[CALLBACK_TOKEN_HEADER]
  if (given === undefined) return { ok: false, reason: 'bad_signature', message: 'the callback carries no token' }
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  if (a.length !== b.length || !timingSafeEqual(a, b))
    return { ok: false, reason: 'bad_signature', message: 'the callback token does not match' }
  return null
}

/** Parses a JSON body, or returns undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A wall-clock time in China (`2017-02-02 22:23:24`, UTC+8, as Aliyun and Tencent write them). */
export function chinaTime(text: unknown, fallback: Date): Date {
  if (typeof text !== 'string') return fallback
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim())
  if (!match) return fallback
  const [, y, mo, d, h, mi, s] = match
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`)
}

/** The calendar date in China of an instant, as `yyyyMMdd`. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '')
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime())
}

/** A signal that ends the call when the pipeline aborts it or after the timeout. */
export function callSignal(deps: ProviderDeps): AbortSignal {
  const timeout = AbortSignal.timeout(SMS_REQUEST_TIMEOUT_MS)
  return deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout
}

/** A call that never got an answer: a network error, a timeout or an abort — the provider may or may not have it. */
export function unansweredOutcome(error: unknown): Extract<SendOutcome, { status: 'retryable' }> {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { status: 'retryable', code: error.name === 'TimeoutError' ? 'timeout' : 'aborted', message: error.message }
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined
  const code = (cause as (Error & { code?: unknown }) | undefined)?.code
  return { status: 'retryable', code: typeof code === 'string' ? code : 'network', message: cause?.message ?? String(error) }
}

/** Reads a field of an unknown JSON object. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

/** A field as text (numbers too), or undefined. */
export function text(value: unknown, key: string): string | undefined {
  const v = field(value, key)
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}
