import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * The signature WeChat and WeCom put on callbacks: SHA-1 (hex) of the parts sorted in dictionary
 * order and joined. Plain callbacks sign [token, timestamp, nonce] (`signature`); encrypted ones
 * also the ciphertext, [token, timestamp, nonce, Encrypt] (`msg_signature`).
 *
 * @example
 * wechatSignature(['token', '1409659589', '263014780']) // 40-character hex
 */
export function wechatSignature(parts: readonly string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

/** Compares a received signature with the expected one in constant time. */
export function signatureMatches(expected: string, received: string | undefined): boolean {
  if (received === undefined) return false
  const a = Buffer.from(expected.toLowerCase())
  const b = Buffer.from(received.toLowerCase())
  return a.length === b.length && timingSafeEqual(a, b)
}
