import type { Clock } from '@reachloop/domain'
import type { ProviderDeps, SendOutcome } from '../provider-adapter.js'

/** A provider's answer: status, headers and the body (parsed when it is JSON, `undefined` otherwise). */
export interface HttpAnswer {
  status: number
  headers: Headers
  text: string
  json: unknown
}

/** A failure outcome (what `send` returns when it does not send). */
export type FailedOutcome = Extract<SendOutcome, { status: 'retryable' | 'permanent' }>

/**
 * One HTTP call through `deps.fetch`: the answer, or a retryable outcome when none came (a timeout,
 * an abort or a network failure — the request may or may not have reached the provider).
 */
export async function httpCall(
  deps: ProviderDeps,
  url: string,
  init: RequestInit,
): Promise<{ answer: HttpAnswer } | { failure: FailedOutcome }> {
  try {
    const response = await deps.fetch(url, { ...init, signal: deps.signal ?? null })
    const text = await response.text()
    return { answer: { status: response.status, headers: response.headers, text, json: parseJson(text) } }
  } catch (error) {
    return { failure: unansweredOutcome(error) }
  }
}

/** The outcome of a request that got no answer: always worth a retry. */
export function unansweredOutcome(error: unknown): FailedOutcome {
  const message = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') return { status: 'retryable', code: 'timeout', message }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  const code = typeof cause?.code === 'string' ? cause.code : 'network_error'
  return { status: 'retryable', code, message: typeof cause?.message === 'string' ? `${message}: ${cause.message}` : message }
}

/** Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null | undefined, clock: Clock): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime())
}

/** The value as a plain object, or an empty one: provider bodies are read field by field, never trusted whole. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** A field that must be a string, or `undefined`. */
export function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key]
  return typeof value === 'string' ? value : undefined
}

/**
 * A failure decided while fetching an access token. `AccessTokenCache.get` only returns a token, so
 * the fetch throws this and the adapter's `send` turns it back into its outcome.
 */
export class TokenFetchFailure extends Error {
  constructor(readonly outcome: FailedOutcome) {
    super(`${outcome.code}: ${outcome.message}`)
    this.name = 'TokenFetchFailure'
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
