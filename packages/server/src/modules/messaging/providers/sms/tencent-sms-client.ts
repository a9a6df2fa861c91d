import type { ProviderDeps } from '../provider-adapter.js'
import { callSignal, field, retryAfterMs, text, unansweredOutcome } from './sms-shared.js'
import { tc3Authorization } from './tencent-tc3-signer.js'

export const TENCENT_SMS_VERSION = '2021-01-11'
const CONTENT_TYPE = 'application/json; charset=utf-8'

/** A Tencent SMS answer or failure, sorted for the pipeline. */
export type TencentCall =
  | { ok: true; response: Record<string, unknown> }
  | { ok: false; retryable: boolean; code: string; message: string; retryAfterMs?: number; response?: unknown }

/**
 * One API 3.0 call (POST / with a JSON body, TC3-HMAC-SHA256), written by hand: the official
 * `tencentcloud-sdk-nodejs-sms` takes the credential scope's service from the first label of the
 * endpoint's host, so pointed at a proxy or at 127.0.0.1 it signs for the wrong product; it also
 * reads the wall clock and its own fetch instead of `deps`.
 */
export async function callTencentSms(
  config: { secretId: string; secretKey: string; region: string; baseUrl: string },
  action: string,
  body: Record<string, unknown>,
  deps: ProviderDeps,
): Promise<TencentCall> {
  const url = new URL('/', config.baseUrl)
  const payload = JSON.stringify(body)
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000)
  const authorization = tc3Authorization({ ...config, service: 'sms', host: url.host, contentType: CONTENT_TYPE, payload, timestamp })
  let response: Response
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: {
        Authorization: authorization,
        'Content-Type': CONTENT_TYPE,
        'X-TC-Action': action,
        'X-TC-Version': TENCENT_SMS_VERSION,
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Region': config.region,
      },
      body: payload,
      signal: callSignal(deps),
    })
  } catch (error) {
    const { code, message } = unansweredOutcome(error)
    return { ok: false, retryable: true, code, message }
  }
  return readAnswer(response, deps.clock.now())
}

async function readAnswer(response: Response, now: Date): Promise<TencentCall> {
  const raw = await response.text()
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  const answer = field(json, 'Response')
  const error = field(answer, 'Error')
  const wait = retryAfterMs(response.headers.get('retry-after'), now)
  if (error !== undefined) {
    return tencentCodeFailure(text(error, 'Code') ?? 'no_code', text(error, 'Message') ?? '', answer, wait)
  }
  if (response.ok && typeof answer === 'object' && answer !== null) return { ok: true, response: answer as Record<string, unknown> }
  const retryable = response.status === 429 || response.status >= 500
  return {
    ok: false,
    retryable,
    code: `http_${response.status}`,
    message: raw.slice(0, 500),
    response: json ?? raw,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  }
}

// Per-number frequency limits name their window; the pipeline waits that long before trying again.
const LIMIT_WINDOWS: Record<string, number> = {
  'LimitExceeded.PhoneNumberThirtySecondLimit': 30_000,
  'LimitExceeded.PhoneNumberOneHourLimit': 3_600_000,
  'LimitExceeded.PhoneNumberDailyLimit': 86_400_000,
  'LimitExceeded.DailyLimit': 86_400_000,
}

/**
 * Sorts a Tencent error code: throttling (LimitExceeded.*, RequestLimitExceeded*) and Tencent's own
 * faults (InternalError*) are retried; everything else (AuthFailure.*, InvalidParameterValue.*,
 * FailedOperation.*, UnauthorizedOperation.*…) needs a person.
 */
export function tencentCodeFailure(
  code: string,
  message: string,
  response?: unknown,
  retryAfter?: number,
): Extract<TencentCall, { ok: false }> {
  const retryable = code.startsWith('LimitExceeded.') || code.startsWith('RequestLimitExceeded') || code.startsWith('InternalError')
  const wait = retryAfter ?? LIMIT_WINDOWS[code]
  return { ok: false, retryable, code, message, response, ...(retryable && wait !== undefined ? { retryAfterMs: wait } : {}) }
}
