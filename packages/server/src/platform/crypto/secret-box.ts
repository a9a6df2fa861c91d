import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const VERSION = 'v1'

/**
 * Encrypts secrets at rest with AES-256-GCM. Ciphertext is `v1.<iv>.<tag>.<data>` in base64url,
 * so a key change or tampering fails to decrypt instead of returning garbage.
 *
 * @example
 * const box = new SecretBox(key)
 * box.decrypt(box.encrypt('sms-api-key')) // 'sms-api-key'
 */
export class SecretBox {
  readonly #signingKey: Buffer

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SECRET_KEY must be 32 bytes (64 hex characters or 44 base64 characters)')
    // A separate key for signatures, so a signed link never reveals anything about the encryption key.
    this.#signingKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'reachloop signed tokens', 32))
  }

  /**
   * A URL-safe token carrying `payload`, signed for one `purpose` (a click link cannot be replayed
   * as an unsubscribe link). Not encrypted: the payload is readable, only unforgeable.
   *
   * @example
   * const token = box.sign('click', { m: messageId, u: 'https://shop.example.com' })
   * box.verify('click', token) // { m: messageId, u: 'https://shop.example.com' }
   */
  sign(purpose: string, payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.#mac(purpose, body)}`
  }

  /** The payload of a token signed for `purpose`, or null when it is malformed or its signature does not match. */
  verify(purpose: string, token: string): unknown {
    const dot = token.indexOf('.')
    if (dot <= 0) return null
    const body = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = Buffer.from(this.#mac(purpose, body), 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown
    } catch {
      return null
    }
  }

  #mac(purpose: string, body: string): string {
    // 16 bytes (128 bits) keep links short enough for SMS while staying unforgeable.
    return createHmac('sha256', this.#signingKey).update(`${purpose}\u0000${body}`).digest().subarray(0, 16).toString('base64url')
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.')
  }

  decrypt(ciphertext: string): string {
    const [version, iv, tag, data] = ciphertext.split('.')
    if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) throw new Error('Not a Reachloop ciphertext')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  }
}

/** Parses a 32-byte key given as 64 hex characters or base64. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (key.length !== 32) throw new Error('SECRET_KEY must be 32 bytes (64 hex characters or 44 base64 characters)')
  return key
}

/**
 * The key for secrets at rest: `SECRET_KEY` when set, else the key in `<dataDir>/secret.key`,
 * generated on first use with mode 0600.
 */
export function loadSecretKey(secretKey: string | undefined, dataDir: string): Buffer {
  if (secretKey) return parseKey(secretKey)
  const file = join(dataDir, 'secret.key')
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'))
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' })
  return key
}
