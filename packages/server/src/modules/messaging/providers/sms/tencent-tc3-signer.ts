import { createHash, createHmac } from 'node:crypto'

/** What a TC3-HMAC-SHA256 signature covers (Tencent Cloud API 3.0, 签名方法 v3). */
export interface Tc3Input {
  secretId: string
  secretKey: string
  /** The product in the credential scope (`sms`), not derived from the host: a proxy's host must not change it. */
  service: string
  /** The Host header as sent (the base URL's host). */
  host: string
  contentType: string
  payload: string
  /** Seconds since the epoch; the scope's date is its UTC date. */
  timestamp: number
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const hmac = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message, 'utf8').digest()

/**
 * The Authorization header of a POST to `/` signed with TC3-HMAC-SHA256 over `content-type` and
 * `host`, the two headers the algorithm requires.
 *
 * @example
 * tc3Authorization({ secretId, secretKey, service: 'sms', host: 'sms.tencentcloudapi.com',
 *   contentType: 'application/json; charset=utf-8', payload: '{}', timestamp: 1551113065 })
 * // 'TC3-HMAC-SHA256 Credential=…/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=…'
 */
export function tc3Authorization(input: Tc3Input): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10)
  const signedHeaders = 'content-type;host'
  const canonicalHeaders = `content-type:${input.contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(input.payload)].join('\n')
  const scope = `${date}/${input.service}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n')
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request')
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
}
