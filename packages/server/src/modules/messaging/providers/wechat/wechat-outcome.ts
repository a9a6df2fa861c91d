import type { SendOutcome } from '../provider-adapter.js'
import type { FailedOutcome, WechatAnswer } from './wechat-http.js'

/** How one API's error codes are read: which are worth a retry, and how long to wait for some. */
export interface ErrcodeTable {
  retryable: ReadonlySet<number>
  /** For codes whose wait is known (a daily quota): how long from `now`. */
  waitMs?: (errcode: number, now: Date) => number | undefined
}

/** The outcome of an answer whose errcode is not 0: retryable if the table says so, else permanent. */
export function failureOf(answer: WechatAnswer, table: ErrcodeTable, now: Date): FailedOutcome {
  const errcode = typeof answer.errcode === 'number' ? answer.errcode : -1
  const base = { code: String(errcode), message: answer.errmsg ?? '', response: answer }
  if (!table.retryable.has(errcode)) return { status: 'permanent', ...base }
  const wait = table.waitMs?.(errcode, now)
  return { status: 'retryable', ...base, ...(wait === undefined ? {} : { retryAfterMs: wait }) }
}

/** Whether the answer reports success (WeChat leaves errcode out, or sets it to 0). */
export function succeeded(answer: WechatAnswer): boolean {
  return answer.errcode === undefined || answer.errcode === 0
}

/** A `sent` outcome with the provider's message id (kept as a string, see parseAnswer). */
export function sentWith(answer: WechatAnswer, id: unknown): SendOutcome {
  return { status: 'sent', providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null, response: answer }
}

const BEIJING_OFFSET_MS = 8 * 3_600_000

/**
 * Milliseconds until the next midnight in Beijing (UTC+8, no daylight saving), when WeChat's daily
 * API quotas (45009 "reach max api daily quota limit") are reset: retrying sooner only fails again.
 */
export function untilBeijingMidnight(now: Date): number {
  const beijing = now.getTime() + BEIJING_OFFSET_MS
  const nextMidnight = (Math.floor(beijing / 86_400_000) + 1) * 86_400_000
  return nextMidnight - beijing
}

/** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired. */
export const WECHAT_TOKEN_ERRORS: ReadonlySet<number> = new Set([40001, 40014, 42001])

/**
 * Retryable: -1 system busy, 45009 daily quota (retried after Beijing midnight), 45011 too frequent,
 * and a token refused again right after a refresh. Everything else is permanent, among them 40003
 * invalid openid, 43004 not subscribed, 40036 / 40037 invalid template id, 47003 invalid argument.
 */
export const WECHAT_SEND_ERRORS: ErrcodeTable = {
  retryable: new Set([-1, 45009, 45011, ...WECHAT_TOKEN_ERRORS]),
  waitMs: (errcode, now) => (errcode === 45009 ? untilBeijingMidnight(now) : undefined),
}
