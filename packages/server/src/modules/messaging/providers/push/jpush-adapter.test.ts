import { ManualClock } from '@reachloop/domain'
import { afterEach, describe, expect, it } from 'vitest'
import { startRecordingServer, type CannedReply, type RecordingServer } from '../../../../test-support/recording-server.js'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { jpushAdapter, type JPushConfig } from './jpush-adapter.js'

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(reply: CannedReply = { body: { sendno: '0', msg_id: '1828256757' } }) {
  server = await startRecordingServer(() => reply)
  return server
}

function deps(): ProviderDeps {
  const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'))
  return { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock) }
}

const message: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1:attempt',
  to: '1a0018970aa3f1b4c0a',
  content: {
    channel: 'push',
    title: '春季上新',
    body: '全场满 200 减 30',
    deepLink: 'reachloop://offers/spring',
    badge: 3,
    data: { campaign: 'spring' },
    android: { channelId: 'marketing', priority: 'high' },
    ios: { sound: 'chime.caf', threadId: 'offers' },
  },
}

function account(url: string, overrides: Partial<JPushConfig> = {}) {
  return { id: 'acc-jpush', config: { appKey: 'app-key-1', masterSecret: 'master-secret-1', baseUrl: url, ...overrides } }
}

describe('jpushAdapter.send', () => {
  it('posts one notification to the registration id with HTTP Basic base64(appKey:masterSecret)', async () => {
    const s = await start()
    const outcome = await jpushAdapter.send(account(s.url), message, deps())
    expect(outcome).toEqual({ status: 'sent', providerMessageId: '1828256757', response: { sendno: '0', msg_id: '1828256757' } })
    const request = s.requests[0]
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v3/push')
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('app-key-1:master-secret-1').toString('base64')}`)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request?.body ?? '')).toEqual({
      platform: 'all',
      audience: { registration_id: ['1a0018970aa3f1b4c0a'] },
      notification: {
        android: {
          alert: '全场满 200 减 30',
          title: '春季上新',
          channel_id: 'marketing',
          priority: 1,
          intent: { url: 'reachloop://offers/spring' },
          extras: { campaign: 'spring', deepLink: 'reachloop://offers/spring' },
        },
        ios: {
          alert: { title: '春季上新', body: '全场满 200 减 30' },
          sound: 'chime.caf',
          badge: 3,
          'thread-id': 'offers',
          extras: { campaign: 'spring', deepLink: 'reachloop://offers/spring' },
        },
      },
      options: { apns_production: true, time_to_live: 86400 },
    })
  })

  it("sends the Authorization header of JPush's published curl example for its example credentials", async () => {
    // https://docs.jiguang.cn/jpush/server/push/rest_api_v3_push (curl -u "7d431e42dfa6a6d693ac2d04:5e987ac6d2e04d95a9d8f0d1")
    const s = await start()
    await jpushAdapter.send(
      account(s.url, { appKey: '7d431e42dfa6a6d693ac2d04', masterSecret: '5e987ac6d2e04d95a9d8f0d1' }),
      message,
      deps(),
    )
    expect(s.requests[0]?.headers.authorization).toBe('Basic N2Q0MzFlNDJkZmE2YTZkNjkzYWMyZDA0OjVlOTg3YWM2ZDJlMDRkOTVhOWQ4ZjBkMQ==')
  })

  it('addresses only the iOS notification to an iPhone, with the sandbox and time to live configured', async () => {
    const s = await start()
    const iphone: OutgoingMessage = { ...message, platform: 'ios', content: { channel: 'push', title: 'Hi', body: 'There' } }
    await jpushAdapter.send(account(s.url, { apnsProduction: false, timeToLiveSeconds: 600 }), iphone, deps())
    expect(JSON.parse(s.requests[0]?.body ?? '')).toEqual({
      platform: 'ios',
      audience: { registration_id: ['1a0018970aa3f1b4c0a'] },
      notification: { ios: { alert: { title: 'Hi', body: 'There' }, sound: 'default', extras: {} } },
      options: { apns_production: false, time_to_live: 600 },
    })
  })

  it('retries a rate-limited push (2002) once the rate window resets', async () => {
    const s = await start({
      status: 429,
      headers: { 'X-Rate-Limit-Reset': '17' },
      body: { error: { code: 2002, message: 'Rate limit exceeded' } },
    })
    const outcome = await jpushAdapter.send(account(s.url), message, deps())
    expect(outcome).toMatchObject({ status: 'retryable', code: '2002', message: 'Rate limit exceeded', retryAfterMs: 17_000 })
  })

  it('retries when JPush is unavailable', async () => {
    const s = await start({ status: 503, body: { error: { code: 1030, message: 'internal service timeout' } } })
    expect(await jpushAdapter.send(account(s.url), message, deps())).toMatchObject({ status: 'retryable', code: '1030' })
  })

  it('gives up on a registration id no device has (1011), keeping JPush’s message', async () => {
    const s = await start({ status: 400, body: { error: { code: 1011, message: 'cannot find user by this audience' }, msg_id: '18100' } })
    const outcome = await jpushAdapter.send(account(s.url), message, deps())
    expect(outcome).toMatchObject({ status: 'permanent', code: '1011', message: 'cannot find user by this audience' })
  })

  it('gives up when JPush refuses the credentials (1004)', async () => {
    const s = await start({ status: 401, body: { error: { code: 1004, message: 'Authen failed' } } })
    expect(await jpushAdapter.send(account(s.url), message, deps())).toMatchObject({ status: 'permanent', code: '1004' })
  })

  it('retries when nothing answers at the base URL', async () => {
    const s = await start()
    const url = s.url
    await s.close()
    server = undefined
    expect(await jpushAdapter.send(account(url), message, deps())).toMatchObject({ status: 'retryable', code: 'ECONNREFUSED' })
  })
})

describe('jpushAdapter.testConnection', () => {
  it('validates a push without sending it and takes "no target" (1011) as accepted credentials', async () => {
    const s = await start({ status: 400, body: { error: { code: 1011, message: 'cannot find user by this audience' } } })
    const result = await jpushAdapter.testConnection(account(s.url), deps())
    expect(result).toMatchObject({ ok: true })
    expect(s.requests[0]?.method).toBe('POST')
    expect(s.requests[0]?.url).toBe('/v3/push/validate')
    expect(JSON.parse(s.requests[0]?.body ?? '')).toMatchObject({ audience: { registration_id: ['reachloop-connection-test'] } })
  })

  it('reports refused credentials with JPush’s code', async () => {
    const s = await start({ status: 401, body: { error: { code: 1004, message: 'Authen failed' } } })
    expect(await jpushAdapter.testConnection(account(s.url), deps())).toEqual({ ok: false, code: '1004', message: 'Authen failed' })
  })
})
