import { ManualClock } from '@reachloop/domain'
import { createHash, generateKeyPairSync, verify } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { apnsAdapter, closeApnsSessions } from './apns-adapter.js'

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const p8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

interface Received {
  headers: IncomingHttpHeaders
  body: string
}
interface Reply {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

/** A local cleartext HTTP/2 (h2c) server standing in for APNs: records each request and its session. */
async function startApns(reply: (request: Received, index: number) => Reply) {
  const requests: Received[] = []
  let sessions = 0
  const server = createServer()
  server.on('session', () => sessions++)
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      const received = { headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(received)
      const answer = reply(received, requests.length - 1)
      stream.respond({ ':status': answer.status, ...answer.headers })
      stream.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  closers.push(close)
  return { url: `http://127.0.0.1:${port}`, requests, sessions: () => sessions, close }
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await closeApnsSessions()
  await Promise.all(closers.splice(0).map((close) => close()))
})

const NOW = new Date('2026-03-01T08:00:00Z')
function deps(clock = new ManualClock(NOW)): ProviderDeps {
  return { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock) }
}

function account(url: string, overrides: Record<string, unknown> = {}) {
  return {
    id: 'acc-apns',
    config: { teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey: p8, bundleId: 'com.example.shop', baseUrl: url, ...overrides },
  }
}

const DEVICE = 'a'.repeat(64)
const message: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1:key',
  to: DEVICE,
  platform: 'ios',
  content: {
    channel: 'push',
    title: 'Spring offers',
    body: '30 off over 200',
    deepLink: 'reachloop://offers/spring',
    badge: 4,
    data: { campaign: 'spring' },
    ios: { sound: 'chime.caf', threadId: 'offers' },
  },
}

/** RFC 9562 UUIDv5 computed here from the spec, independently of the adapter. */
function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name)
    .digest()
  const b = [...hash.subarray(0, 16)]
  b[6] = ((b[6] ?? 0) % 16) + 0x50
  b[8] = ((b[8] ?? 0) % 64) + 0x80
  const hex = Buffer.from(b).toString('hex')
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-')
}

function jwtParts(authorization: unknown) {
  const [header, claims, signature] = String(authorization)
    .replace(/^bearer /, '')
    .split('.')
  const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown
  return {
    header: decode(header),
    claims: decode(claims),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature ?? '', 'base64url'),
  }
}

const ok = (): Reply => ({ status: 200, headers: { 'apns-id': 'echoed-id' } })

describe('apnsAdapter.send', () => {
  it('posts the notification over HTTP/2 with an ES256 provider token (raw r‖s) and the documented headers', async () => {
    const apns = await startApns(ok)
    const outcome = await apnsAdapter.send(account(apns.url), message, deps())
    expect(outcome).toEqual({ status: 'sent', providerMessageId: 'echoed-id', response: { apnsId: 'echoed-id' } })

    const request = apns.requests[0]
    expect(request?.headers[':method']).toBe('POST')
    expect(request?.headers[':path']).toBe(`/3/device/${DEVICE}`)
    expect(request?.headers['apns-topic']).toBe('com.example.shop')
    expect(request?.headers['apns-push-type']).toBe('alert')
    expect(request?.headers['apns-priority']).toBe('10')
    expect(request?.headers['apns-id']).toBe(uuidV5('6f1c1c9e-4a0b-4c55-9d8e-2b8f3a7e5d10', 'msg-1:key'))
    expect(request?.headers['apns-expiration']).toBe(String(NOW.getTime() / 1000 + 86_400))
    expect(JSON.parse(request?.body ?? '')).toEqual({
      aps: { alert: { title: 'Spring offers', body: '30 off over 200' }, badge: 4, sound: 'chime.caf', 'thread-id': 'offers' },
      campaign: 'spring',
      deepLink: 'reachloop://offers/spring',
    })

    const jwt = jwtParts(request?.headers.authorization)
    expect(String(request?.headers.authorization)).toMatch(/^bearer /)
    expect(jwt.header).toEqual({ alg: 'ES256', kid: 'KEY1234567' })
    expect(jwt.claims).toEqual({ iss: 'TEAM123456', iat: NOW.getTime() / 1000 })
    expect(jwt.signature).toHaveLength(64)
    expect(verify('sha256', Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature)).toBe(true)
  })

  it('keeps one HTTP/2 session and one provider token for consecutive notifications, and a new token after 50 minutes', async () => {
    const apns = await startApns(ok)
    const clock = new ManualClock(NOW)
    const d = deps(clock)
    await apnsAdapter.send(account(apns.url), message, d)
    await apnsAdapter.send(account(apns.url), { ...message, idempotencyKey: 'msg-2:key' }, d)
    clock.advance(51 * 60_000)
    await apnsAdapter.send(account(apns.url), { ...message, idempotencyKey: 'msg-3:key' }, d)
    expect(apns.sessions()).toBe(1)
    const [first, second, third] = apns.requests.map((r) => r.headers.authorization)
    expect(second).toBe(first)
    expect(jwtParts(third).claims).toEqual({ iss: 'TEAM123456', iat: NOW.getTime() / 1000 + 51 * 60 })
  })

  it('signs a fresh provider token once when APNs calls the cached one expired', async () => {
    const apns = await startApns((_r, index) => (index === 0 ? { status: 403, body: { reason: 'ExpiredProviderToken' } } : ok()))
    expect(await apnsAdapter.send(account(apns.url), message, deps())).toMatchObject({ status: 'sent' })
    expect(apns.requests).toHaveLength(2)
    expect(apns.requests[1]?.headers.authorization).not.toBe(apns.requests[0]?.headers.authorization)
  })

  it('gives up when a fresh provider token is refused too', async () => {
    const apns = await startApns(() => ({ status: 403, body: { reason: 'InvalidProviderToken' } }))
    expect(await apnsAdapter.send(account(apns.url), message, deps())).toMatchObject({ status: 'permanent', code: 'InvalidProviderToken' })
    expect(apns.requests).toHaveLength(2)
  })

  it('gives up on a device that uninstalled the app (410 Unregistered)', async () => {
    const apns = await startApns(() => ({ status: 410, body: { reason: 'Unregistered', timestamp: 1_770_000_000_000 } }))
    const outcome = await apnsAdapter.send(account(apns.url), message, deps())
    expect(outcome).toMatchObject({ status: 'permanent', code: 'Unregistered', response: { status: 410, reason: 'Unregistered' } })
  })

  it('retries when APNs throttles (429 TooManyRequests)', async () => {
    const apns = await startApns(() => ({ status: 429, body: { reason: 'TooManyRequests' } }))
    expect(await apnsAdapter.send(account(apns.url), message, deps())).toMatchObject({ status: 'retryable', code: 'TooManyRequests' })
  })

  it('retries when nothing answers at the base URL', async () => {
    const apns = await startApns(ok)
    await apns.close()
    expect(await apnsAdapter.send(account(apns.url), message, deps())).toMatchObject({ status: 'retryable', code: 'ECONNREFUSED' })
  })

  it('gives up when the .p8 key is not an EC private key', async () => {
    const apns = await startApns(ok)
    const outcome = await apnsAdapter.send(account(apns.url, { privateKey: 'not a key' }), message, deps())
    expect(outcome).toMatchObject({ status: 'permanent', code: 'invalid_private_key' })
    expect(apns.requests).toHaveLength(0)
  })
})

describe('apnsAdapter.testConnection', () => {
  it('posts to a device token no device has and takes 400 BadDeviceToken as accepted credentials', async () => {
    const apns = await startApns(() => ({ status: 400, body: { reason: 'BadDeviceToken' } }))
    expect(await apnsAdapter.testConnection(account(apns.url), deps())).toMatchObject({ ok: true })
    expect(apns.requests[0]?.headers[':path']).toBe(`/3/device/${'0'.repeat(64)}`)
  })

  it('reports a refused provider token', async () => {
    const apns = await startApns(() => ({ status: 403, body: { reason: 'InvalidProviderToken' } }))
    expect(await apnsAdapter.testConnection(account(apns.url), deps())).toEqual({
      ok: false,
      code: 'InvalidProviderToken',
      message: 'APNs answered 403 InvalidProviderToken',
    })
  })
})
