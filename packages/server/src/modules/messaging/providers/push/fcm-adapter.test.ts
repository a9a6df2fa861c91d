import { ManualClock } from '@reachloop/domain'
import { generateKeyPairSync, verify } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  startRecordingServer,
  type CannedReply,
  type RecordedRequest,
  type RecordingServer,
} from '../../../../test-support/recording-server.js'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { fcmAdapter } from './fcm-adapter.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOW = new Date('2026-03-01T08:00:00Z')

function deps(): ProviderDeps {
  const clock = new ManualClock(NOW)
  return { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock) }
}

/** A local stand-in for both Google's token endpoint (/token) and FCM (/v1/…), answering each with its own function. */
async function start(send: (request: RecordedRequest, index: number) => CannedReply, token?: (index: number) => CannedReply) {
  let tokens = 0
  let sends = 0
  server = await startRecordingServer((request) => {
    if (request.url === '/token') {
      tokens++
      return token?.(tokens - 1) ?? { body: { access_token: `ya29.token-${tokens}`, expires_in: 3599, token_type: 'Bearer' } }
    }
    sends++
    return send(request, sends - 1)
  })
  const s = server
  return {
    url: s.url,
    tokenRequests: () => s.requests.filter((r) => r.url === '/token'),
    sendRequests: () => s.requests.filter((r) => r.url !== '/token'),
  }
}

function account(url: string) {
  const serviceAccount = JSON.stringify({
    type: 'service_account',
    project_id: 'demo-project',
    private_key_id: 'key-id-1',
    private_key: privatePem,
    client_email: 'push@demo-project.iam.gserviceaccount.com',
    token_uri: `${url}/token`,
  })
  return { id: 'acc-fcm', config: { projectId: 'demo-project', serviceAccount, baseUrl: url } }
}

const message: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1:key',
  to: 'fcm-device-token-1',
  content: {
    channel: 'push',
    title: 'Spring offers',
    body: '30 off over 200',
    deepLink: 'reachloop://offers/spring',
    badge: 2,
    data: { campaign: 'spring' },
    android: { channelId: 'marketing', priority: 'high' },
    ios: { threadId: 'offers' },
  },
}

const sentReply = { body: { name: 'projects/demo-project/messages/0:1500415314455276%31bd1c9631bd1c96' } }

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
}

describe('fcmAdapter.send', () => {
  it('exchanges an RS256 assertion signed by the service account for a token, then posts the v1 message with it', async () => {
    const s = await start(() => sentReply)
    const outcome = await fcmAdapter.send(account(s.url), message, deps())
    expect(outcome).toEqual({ status: 'sent', providerMessageId: sentReply.body.name, response: sentReply.body })

    const tokenRequest = s.tokenRequests()[0]
    expect(tokenRequest?.method).toBe('POST')
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(tokenRequest?.body)
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.')
    const signed = verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature ?? '', 'base64url'))
    expect(signed).toBe(true)
    expect(decodePart(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-id-1' })
    const iat = NOW.getTime() / 1000
    expect(decodePart(claims)).toEqual({
      iss: 'push@demo-project.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/firebase.messaging',
      aud: `${s.url}/token`,
      iat,
      exp: iat + 3600,
    })

    const sendRequest = s.sendRequests()[0]
    expect(sendRequest?.method).toBe('POST')
    expect(sendRequest?.url).toBe('/v1/projects/demo-project/messages:send')
    expect(sendRequest?.headers.authorization).toBe('Bearer ya29.token-1')
    expect(sendRequest?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(sendRequest?.body ?? '')).toEqual({
      message: {
        token: 'fcm-device-token-1',
        notification: { title: 'Spring offers', body: '30 off over 200' },
        data: { campaign: 'spring', deepLink: 'reachloop://offers/spring' },
        android: { priority: 'HIGH', notification: { channel_id: 'marketing' } },
        apns: { payload: { aps: { badge: 2, sound: 'default', 'thread-id': 'offers' } } },
      },
    })
  })

  it('reuses the cached token for the next message', async () => {
    const s = await start(() => sentReply)
    const d = deps()
    await fcmAdapter.send(account(s.url), message, d)
    await fcmAdapter.send(account(s.url), { ...message, to: 'fcm-device-token-2' }, d)
    expect(s.tokenRequests()).toHaveLength(1)
    expect(s.sendRequests().map((r) => r.headers.authorization)).toEqual(['Bearer ya29.token-1', 'Bearer ya29.token-1'])
  })

  it('drops a token FCM refuses (401) and sends once more with a fresh one', async () => {
    const unauthenticated = {
      status: 401,
      body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } },
    }
    const s = await start((_request, index) => (index === 0 ? unauthenticated : sentReply))
    const outcome = await fcmAdapter.send(account(s.url), message, deps())
    expect(outcome).toMatchObject({ status: 'sent' })
    expect(s.sendRequests().map((r) => r.headers.authorization)).toEqual(['Bearer ya29.token-1', 'Bearer ya29.token-2'])
  })

  it('gives up when a fresh token is refused too', async () => {
    const unauthenticated = { status: 401, body: { error: { code: 401, message: 'invalid credentials', status: 'UNAUTHENTICATED' } } }
    const s = await start(() => unauthenticated)
    expect(await fcmAdapter.send(account(s.url), message, deps())).toMatchObject({ status: 'permanent', code: 'UNAUTHENTICATED' })
    expect(s.sendRequests()).toHaveLength(2)
  })

  it('gives up on a device token FCM no longer knows (UNREGISTERED)', async () => {
    const details = [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }]
    const s = await start(() => ({
      status: 404,
      body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND', details } },
    }))
    const outcome = await fcmAdapter.send(account(s.url), message, deps())
    expect(outcome).toMatchObject({ status: 'permanent', code: 'UNREGISTERED', message: 'Requested entity was not found.' })
  })

  it('retries when FCM is unavailable, after its Retry-After', async () => {
    const s = await start(() => ({
      status: 503,
      headers: { 'Retry-After': '30' },
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    }))
    expect(await fcmAdapter.send(account(s.url), message, deps())).toMatchObject({
      status: 'retryable',
      code: 'UNAVAILABLE',
      retryAfterMs: 30_000,
    })
  })

  it('gives up when Google refuses the service account key', async () => {
    const s = await start(
      () => sentReply,
      () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } }),
    )
    expect(await fcmAdapter.send(account(s.url), message, deps())).toMatchObject({
      status: 'permanent',
      code: 'invalid_grant',
      message: 'Invalid JWT Signature.',
    })
    expect(s.sendRequests()).toHaveLength(0)
  })

  it('gives up on a service account that is not JSON', async () => {
    const s = await start(() => sentReply)
    const broken = { id: 'acc-fcm', config: { projectId: 'demo-project', serviceAccount: '{not json', baseUrl: s.url } }
    expect(await fcmAdapter.send(broken, message, deps())).toMatchObject({ status: 'permanent', code: 'invalid_service_account' })
  })
})

describe('fcmAdapter.testConnection', () => {
  it('fetches a token and validates (validate_only) a send to a test token, taking INVALID_ARGUMENT as accepted credentials', async () => {
    const s = await start(() => ({
      status: 400,
      body: { error: { code: 400, message: 'The registration token is not a valid FCM registration token', status: 'INVALID_ARGUMENT' } },
    }))
    expect(await fcmAdapter.testConnection(account(s.url), deps())).toMatchObject({ ok: true })
    expect(s.tokenRequests()).toHaveLength(1)
    expect(JSON.parse(s.sendRequests()[0]?.body ?? '')).toEqual({
      validate_only: true,
      message: { token: 'reachloop-connection-test', notification: { title: 'Reachloop', body: 'Connection test' } },
    })
  })

  it('reports a project the service account may not send for', async () => {
    const s = await start(() => ({
      status: 403,
      body: { error: { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' } },
    }))
    expect(await fcmAdapter.testConnection(account(s.url), deps())).toEqual({
      ok: false,
      code: 'PERMISSION_DENIED',
      message: 'Permission denied',
    })
  })
})
