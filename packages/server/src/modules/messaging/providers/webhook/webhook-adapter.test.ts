import { createHmac } from 'node:crypto'
import { ManualClock } from '@reachloop/domain'
import { afterEach, describe, expect, it } from 'vitest'
import { startRecordingServer, type CannedReply, type RecordingServer } from '../../../../test-support/recording-server.js'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { webhookAdapter, webhookSignature, type WebhookConfig } from './webhook-adapter.js'

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(reply: CannedReply = { body: { ok: true } }) {
  server = await startRecordingServer(() => reply)
  return server
}

/** 2026-01-01T00:00:00Z: the signature's timestamp is 1767225600. */
const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
const deps: ProviderDeps = { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock) }
const SECRET = 'whsec_0123456789abcdef'

const message: OutgoingMessage = {
  messageId: '6f1c2a4e-0000-4000-8000-000000000001',
  idempotencyKey: 'broadcast:run-1:profile-1',
  to: 'profile-1',
  content: { channel: 'webhook', body: { name: '王芳', offer: '8折' } },
}

const account = (url: string, overrides: Partial<WebhookConfig> = {}) => ({
  id: 'acc-1',
  config: { baseUrl: `${url}/hooks/reachloop?tenant=shop`, signingSecret: SECRET, headers: { 'x-proxy-auth': 'p-1' }, ...overrides },
})

describe('the webhook adapter', () => {
  it('POSTs the JSON body to the URL with its Idempotency-Key and a signature the receiver can check', async () => {
    const s = await start({ body: { ok: true }, headers: { 'x-message-id': 'r-42' } })
    const outcome = await webhookAdapter.send(account(s.url), message, deps)
    expect(outcome).toEqual({ status: 'sent', providerMessageId: 'r-42', response: { ok: true } })
    const [request] = s.requests
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/hooks/reachloop?tenant=shop')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['idempotency-key']).toBe('broadcast:run-1:profile-1')
    expect(request?.headers['x-proxy-auth']).toBe('p-1')
    expect(JSON.parse(request?.body ?? '')).toEqual({
      messageId: message.messageId,
      profileId: 'profile-1',
      body: { name: '王芳', offer: '8折' },
    })
    // What a receiver does: HMAC-SHA256 of "<t>.<raw body>" with the shared secret.
    const expected = createHmac('sha256', SECRET)
      .update(`1767225600.${request?.body ?? ''}`)
      .digest('hex')
    expect(request?.headers['reachloop-signature']).toBe(`t=1767225600,v1=${expected}`)
  })

  it('signs exactly as documented for fixed inputs', () => {
    expect(webhookSignature('whsec_test', '{"a":1}', 1767225600)).toBe(
      `t=1767225600,v1=${createHmac('sha256', 'whsec_test').update('1767225600.{"a":1}').digest('hex')}`,
    )
  })

  it('maps answers: 429 and 5xx retry (honouring Retry-After), 4xx fails for good with the body as the reason', async () => {
    const busy = await start({ status: 429, headers: { 'retry-after': '7' }, body: { error: 'slow down' } })
    expect(await webhookAdapter.send(account(busy.url), message, deps)).toMatchObject({
      status: 'retryable',
      code: 'HTTP_429',
      retryAfterMs: 7000,
      response: { error: 'slow down' },
    })
    await busy.close()
    const down = await start({ status: 503, body: 'maintenance' })
    expect(await webhookAdapter.send(account(down.url), message, deps)).toMatchObject({
      status: 'retryable',
      code: 'HTTP_503',
      message: 'maintenance',
    })
    await down.close()
    const refused = await start({ status: 400, body: { error: 'unknown profile' } })
    expect(await webhookAdapter.send(account(refused.url), message, deps)).toMatchObject({
      status: 'permanent',
      code: 'HTTP_400',
      response: { error: 'unknown profile' },
    })
  })

  it('retries a receiver that does not answer in time, or cannot be reached', async () => {
    const slow = await start({ delayMs: 1500, body: { ok: true } })
    expect(await webhookAdapter.send(account(slow.url, { timeoutMs: 200 }), message, deps)).toMatchObject({
      status: 'retryable',
      code: 'TIMEOUT',
    })
    expect(await webhookAdapter.send(account('http://127.0.0.1:9'), message, deps)).toMatchObject({ status: 'retryable', code: 'NETWORK' })
  })

  it('tests the connection with a signed test call that sends nothing to anyone', async () => {
    const s = await start()
    expect(await webhookAdapter.testConnection(account(s.url), deps)).toMatchObject({ ok: true })
    expect(s.requests[0]?.headers['reachloop-test']).toBe('1')
    expect(JSON.parse(s.requests[0]?.body ?? '')).toEqual({ test: true })
  })
})
