import type { ProviderDeps, SendOutcome } from '../provider-adapter.js'

/**
 * Every WeChat and WeCom server API answers HTTP 200 with a JSON object carrying `errcode` (0 or
 * absent on success) and `errmsg`. There is no official Node SDK for these APIs (Tencent publishes
 * none for the official-account, mini-program or WeCom server APIs), so the adapters call them
 * with `deps.fetch` through this one function.
 */
export interface WechatAnswer {
  errcode?: number
  errmsg?: string
  [field: string]: unknown
}

/** A send outcome that is not `sent`. */
export type FailedOutcome = Exclude<SendOutcome, { status: 'sent' }>

export type WechatCall = { ok: true; answer: WechatAnswer } | { ok: false; outcome: FailedOutcome }

export interface WechatRequest {
  method: 'GET' | 'POST'
  url: string
  body?: unknown
}

/** Calls one API; transport failures (network, timeout, HTTP errors, a non-JSON body) come back as outcomes. */
export async function callWechat(deps: ProviderDeps, request: WechatRequest): Promise<WechatCall> {
  let status: number
  let text: string
  let retryAfter: string | null
  try {
    const response = await deps.fetch(request.url, {
      method: request.method,
      headers:
        request.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(deps.signal ? { signal: deps.signal } : {}),
    })
    status = response.status
    retryAfter = response.headers.get('retry-after')
    text = await response.text()
  } catch (error) {
    return { ok: false, outcome: transportFailure(error) }
  }
  if (status < 200 || status >= 300) return { ok: false, outcome: httpFailure(status, text, retryAfter, deps.clock.now()) }
  const answer = parseAnswer(text)
  if (!answer)
    return { ok: false, outcome: { status: 'permanent', code: 'malformed_answer', message: `not a JSON object: ${text.slice(0, 200)}` } }
  return { ok: true, answer }
}

/**
 * Parses an answer keeping message ids exact: WeChat's numeric `msgid` can pass 2^53 (mini-program
 * subscription ids do), which JSON.parse would round, so numeric ids are read as strings.
 */
export function parseAnswer(text: string): WechatAnswer | null {
  try {
    const value: unknown = JSON.parse(text.replace(/"(msgid|msg_id)"\s*:\s*(-?\d+)/g, '"$1":"$2"'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as WechatAnswer) : null
  } catch {
    return null
  }
}

function transportFailure(error: unknown): FailedOutcome {
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  const timedOut = name === 'AbortError' || name === 'TimeoutError'
  return { status: 'retryable', code: timedOut ? 'timeout' : 'network', message }
}

function httpFailure(status: number, text: string, retryAfter: string | null, now: Date): FailedOutcome {
  const code = `http_${status}`
  const message = text.slice(0, 200) || `HTTP ${status}`
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(retryAfter, now)
    return { status: 'retryable', code, message, ...(wait === undefined ? {} : { retryAfterMs: wait }) }
  }
  return { status: 'permanent', code, message }
}

/** Reads a Retry-After header: seconds, or an HTTP date. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime())
}

/** Joins the base URL (its trailing slashes dropped), a path and a query string. */
export function apiUrl(baseUrl: string, path: string, query: Record<string, string | number>): string {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()
  return `${baseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`
}
