import Dysmsapi, * as $Dysmsapi from '@alicloud/dysmsapi20170525'
import * as OpenApi from '@alicloud/openapi-core'
import * as $dara from '@darabonba/typescript'
import { SMS_REQUEST_TIMEOUT_MS } from './sms-shared.js'

/**
 * The official Aliyun SDK (`@alicloud/dysmsapi20170525`), pointed at the account's base URL. It
 * signs with ACS3-HMAC-SHA256 (V3: the parameters in the query string of a POST, an empty body,
 * `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`). It takes a host, not
 * a URL, so a base URL may carry a scheme, a host and a port but no path.
 */
export function aliyunSmsClient(config: { accessKeyId: string; accessKeySecret: string; region: string; baseUrl: string }) {
  const base = new URL(config.baseUrl)
  return new DysmsapiClient(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      regionId: config.region,
      endpoint: base.host,
      protocol: base.protocol.replace(':', ''),
    }),
  )
}
// The package is CommonJS with `exports.default = Client`. Node's ESM loader makes the default import
// `module.exports` (the class is its `.default`); vitest's loader unwraps it to the class itself.
const DysmsapiClient: typeof Dysmsapi.default =
  (Dysmsapi as { default?: typeof Dysmsapi.default }).default ?? (Dysmsapi as unknown as typeof Dysmsapi.default)

export type AliyunSmsClient = ReturnType<typeof aliyunSmsClient>
export { $Dysmsapi }

/** One call's limits: the SDK takes no AbortSignal, only these timeouts; it never retries by itself. */
export function aliyunRuntime() {
  return new $dara.RuntimeOptions({ connectTimeout: 5_000, readTimeout: SMS_REQUEST_TIMEOUT_MS, autoretry: false, maxAttempts: 1 })
}

/** An Aliyun answer or SDK failure, sorted for the pipeline. */
export interface AliyunFailure {
  retryable: boolean
  code: string
  message: string
  retryAfterMs?: number
  response?: unknown
}

// Codes worth trying again later: flow control and Aliyun's own faults. Everything else
// (isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL, isv.SMS_SIGNATURE_ILLEGAL,
// InvalidAccessKeyId.NotFound, SignatureDoesNotMatch, isv.AMOUNT_NOT_ENOUGH…) needs a person.
const RETRYABLE_CODES = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isp.SYSTEM_ERROR', 'ServiceUnavailable', 'InternalError'])

/** Sorts a business code (`Code` of the answer) into retryable or permanent. */
export function aliyunCodeFailure(code: string, message: string, response?: unknown): AliyunFailure {
  const retryable = RETRYABLE_CODES.has(code) || code.startsWith('Throttling')
  const failure: AliyunFailure = { retryable, code, message, response }
  // isv.BUSINESS_LIMIT_CONTROL says which per-number limit it hit (1 a minute, 5 an hour, 10 a day by default).
  if (code === 'isv.BUSINESS_LIMIT_CONTROL') {
    failure.retryAfterMs = message.includes('天级') ? 86_400_000 : message.includes('小时级') ? 3_600_000 : 60_000
  }
  return failure
}

/** Sorts what the SDK threw: an HTTP error with Aliyun's body, a timeout or a network error. */
export function aliyunThrownFailure(error: unknown): AliyunFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown
    code?: unknown
    message?: unknown
    statusCode?: unknown
    data?: unknown
  }
  const message = typeof e.message === 'string' ? e.message : String(error)
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : undefined) as { Code?: unknown; Message?: unknown } | undefined
  if (typeof e.statusCode === 'number') {
    const code = typeof data?.Code === 'string' ? data.Code : typeof e.code === 'string' ? e.code : `http_${e.statusCode}`
    const text = typeof data?.Message === 'string' ? data.Message : message
    const failure = aliyunCodeFailure(code, text, data)
    return e.statusCode >= 500 ? { ...failure, retryable: true } : failure
  }
  if (e.name === 'RequestTimeoutError') return { retryable: true, code: 'timeout', message }
  return { retryable: true, code: typeof e.code === 'string' ? e.code : 'network', message }
}
