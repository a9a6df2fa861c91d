import { createCipheriv, createHash } from 'node:crypto'
import { systemClock } from '@reachloop/domain'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { CallbackRequest, ProviderDeps } from '../provider-adapter.js'

/**
 * Test side of the WeChat / WeCom callback scheme, written apart from the adapters' code from the
 * documented algorithm, so the tests check the adapters against it rather than against themselves.
 */

/** SHA-1 hex of the parts sorted and joined, as the docs describe it. */
export function sha1OfSorted(...parts: string[]): string {
  return createHash('sha1').update(parts.sort().join('')).digest('hex')
}

/** Encrypts `message` for `receiveId` the way WeChat does (random(16) + length + message + receiveId, PKCS#7 to 32). */
export function encryptLikeWechat(encodingAesKey: string, message: string, receiveId: string, random = '0123456789abcdef'): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  const msg = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(msg.length)
  const plain = Buffer.concat([Buffer.from(random, 'latin1'), length, msg, Buffer.from(receiveId, 'utf8')])
  const pad = 32 - (plain.length % 32)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}

export function callbackRequest(method: 'GET' | 'POST', query: Record<string, string>, rawBody = ''): CallbackRequest {
  return {
    method,
    headers: { 'content-type': 'text/xml' },
    query,
    rawBody,
    url: `https://reachloop.example/callbacks?${new URLSearchParams(query)}`,
  }
}

export function testDeps(clock = systemClock, overrides: Partial<ProviderDeps> = {}): ProviderDeps {
  return { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock), ...overrides }
}

/** The path and the query of a recorded request URL. */
export function split(url: string): { path: string; query: Record<string, string> } {
  const parsed = new URL(url, 'http://127.0.0.1')
  return { path: parsed.pathname, query: Object.fromEntries(parsed.searchParams) }
}

// WeCom's published sample (sbzhu/weworkapi_python, callback/Sample.py, the official WeCom
// callback library linked from https://developer.work.weixin.qq.com/document/path/90307).
export const WECOM = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  corpId: 'ww1436e0e65a779aee',
}
export const WECOM_VERIFY = {
  msgSignature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
}
export const WECOM_MESSAGE = {
  msgSignature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
  timestamp: '1476422779',
  nonce: '1597212914',
  encrypt:
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
}

// The WeChat Official Accounts message-encryption sample code (the "示例代码" of the 消息加解密
// 接入指引, https://mp.weixin.qq.com/wiki?id=mp1434696670), its Java test: fixed random string
// and plaintext, with the ciphertext they must give.
export const MP_JAVA = {
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  plain: '我是中文abcd123',
  encrypted: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
}

// The same sample's Python demo: a safe-mode message to an official account, signed and encrypted.
export const MP_SAMPLE = {
  token: 'spamtest',
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
}
