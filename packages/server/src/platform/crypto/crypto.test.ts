import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.js'
import { loadSecretKey, SecretBox } from './secret-box.js'

describe('secrets at rest', () => {
  it('encrypts with AES-256-GCM so the same text never gives the same ciphertext, and decrypts it back', () => {
    const box = new SecretBox(loadSecretKey('ab'.repeat(32), '/nonexistent'))
    const a = box.encrypt('sms-provider-key')
    expect(a).not.toContain('sms-provider-key')
    expect(box.encrypt('sms-provider-key')).not.toBe(a)
    expect(box.decrypt(a)).toBe('sms-provider-key')
  })

  it('refuses tampered ciphertext and the wrong key', () => {
    const box = new SecretBox(loadSecretKey('ab'.repeat(32), '/nonexistent'))
    const text = box.encrypt('secret')
    const [v, iv, tag, data] = text.split('.')
    const flipped = `${v}.${iv}.${tag}.${(data ?? '').startsWith('A') ? 'B' : 'A'}${(data ?? '').slice(1)}`
    expect(() => box.decrypt(flipped)).toThrow()
    expect(() => new SecretBox(loadSecretKey('cd'.repeat(32), '/nonexistent')).decrypt(text)).toThrow()
  })

  it('signs tokens per purpose: the payload comes back, a changed byte or another purpose does not verify', () => {
    const box = new SecretBox(loadSecretKey('ab'.repeat(32), '/nonexistent'))
    const token = box.sign('click', { m: 'message-1', u: 'https://shop.example.com/a?b=1' })
    expect(box.verify('click', token)).toEqual({ m: 'message-1', u: 'https://shop.example.com/a?b=1' })
    expect(box.verify('unsubscribe', token)).toBeNull()
    const [body, mac] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ m: 'message-2', u: 'https://evil.example' })).toString('base64url')
    expect(box.verify('click', `${forged}.${mac}`)).toBeNull()
    expect(box.verify('click', `${body}.`)).toBeNull()
    expect(box.verify('click', 'garbage')).toBeNull()
    expect(new SecretBox(loadSecretKey('cd'.repeat(32), '/nonexistent')).verify('click', token)).toBeNull()
  })

  it('generates a key once into the data directory with mode 0600 and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reachloop-key-'))
    const first = loadSecretKey(undefined, dir)
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(loadSecretKey(undefined, dir).equals(first)).toBe(true)
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toMatch(/^[0-9a-f]{64}$/)
    rmSync(dir, { recursive: true, force: true })
  })

  it('rejects a SECRET_KEY that is not 32 bytes', () => {
    expect(() => loadSecretKey('too-short', '/nonexistent')).toThrow(/32 bytes/)
  })
})

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one or a missing hash', async () => {
    const hash = await hashPassword('correct horse')
    expect(hash).not.toContain('correct horse')
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('wrong horse', hash)).toBe(false)
    expect(await verifyPassword('correct horse', null)).toBe(false)
  })
})
