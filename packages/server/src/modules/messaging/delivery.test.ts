import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecordingServer, type RecordingServer } from '../../test-support/recording-server.js'
import { runDueJobs, settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

/** 10:00 in Shanghai (the workspace's zone): outside the default quiet hours. */
const MORNING = new Date('2026-12-01T02:00:00Z')

describe('the delivery pipeline', () => {
  const s = withOwnerApp()
  let receiver: RecordingServer
  let writeKey: string
  /** Idempotency keys the receiver has taken, as a webhook receiver that dedupes would keep them. */
  const taken = new Set<string>()
  let answer: (i: number) => { status: number; body: unknown } = () => ({ status: 200, body: { ok: true } })

  const identify = (userId: string, traits: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId, traits },
    })
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles?search=${userId}`)).json().items[0].id as string
  const template = async (name: string, category: 'marketing' | 'transactional', body = '{"hello": "{{ profile.first_name }}"}') => {
    const created = await s.owner.post('/api/v1/messaging/templates', { name, category, draft: { channel: 'webhook', body } })
    expect(created.statusCode, created.body).toBe(201)
    const published = await s.owner.post(`/api/v1/messaging/templates/${created.json().id}/publish`, {})
    expect(published.statusCode, published.body).toBe(200)
    return created.json().id as string
  }
  const send = (templateId: string, profileId: string, idempotencyKey: string) =>
    s.owner.post('/api/v1/messaging/send', { templateId, profileId, idempotencyKey })
  const message = async (id: string) => (await s.owner.get(`/api/v1/messaging/messages/${id}`)).json()

  beforeAll(async () => {
    s.t.clock.set(MORNING)
    receiver = await startRecordingServer((request, i) => {
      const key = String(request.headers['idempotency-key'] ?? '')
      if (request.headers['reachloop-test']) return { body: { ok: true } }
      const a = answer(i)
      if (a.status < 300) taken.add(key)
      return a
    })
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    const account = await s.owner.post('/api/v1/messaging/providers', {
      kind: 'webhook',
      name: 'CRM hook',
      config: { baseUrl: `${receiver.url}/hook`, signingSecret: 'a-very-long-signing-secret' },
    })
    expect(account.statusCode, account.body).toBe(201)
    await identify('u-1', { first_name: '小明', phone: '+8613800000001' })
    await identify('u-2', { first_name: 'Li', phone: '+8613800000002' })
    await settle(s.t.ctx)
  })
  afterAll(() => receiver.close())
  beforeEach(() => {
    answer = () => ({ status: 200, body: { ok: true } })
  })

  it('sends a transactional message rendered for the profile, signed, with its idempotency key, and records every status and a Message Sent event', async () => {
    const t = await template('Order notice', 'transactional')
    const profileId = await profileOf('u-1')
    const queued = await send(t, profileId, 'order-1001')
    expect(queued.statusCode, queued.body).toBe(201)
    const before = receiver.requests.length
    await settle(s.t.ctx)
    const request = receiver.requests[before]
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/hook')
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ body: { hello: '小明' }, profileId })
    expect(request?.headers['reachloop-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    const m = await message(queued.json().messageId)
    expect(m.status).toBe('sent')
    expect(m.timeline.map((x: { status: string }) => x.status)).toEqual(['queued', 'sending', 'sent'])
    expect(request?.headers['idempotency-key']).toBe(m.idempotencyKey)
    expect(m.attempts).toHaveLength(1)
    const timeline = (await s.owner.get(`/api/v1/profiles/${profileId}/timeline`)).json()
    expect(JSON.stringify(timeline)).toContain('Message Sent')
  })

  it('takes the same idempotency key twice as one message', async () => {
    const t = await template('Receipt', 'transactional')
    const profileId = await profileOf('u-2')
    const first = await send(t, profileId, 'receipt-7')
    const again = await send(t, profileId, 'receipt-7')
    expect(again.json()).toEqual({ messageId: first.json().messageId, duplicate: true })
    const before = receiver.requests.length
    await settle(s.t.ctx)
    expect(receiver.requests.length - before).toBe(1)
  })

  it('retries a 503 with backoff and fails a 400 for good, keeping the provider’s answer', async () => {
    const t = await template('Flaky', 'transactional')
    const profileId = await profileOf('u-1')
    answer = () => ({ status: 503, body: { error: 'busy' } })
    const retried = (await send(t, profileId, 'flaky-1')).json().messageId
    await settle(s.t.ctx)
    let m = await message(retried)
    expect(m.status).toBe('queued')
    expect(m.reason).toBe('HTTP_503')
    answer = () => ({ status: 200, body: { ok: true } })
    s.t.clock.advance(60_000)
    await settle(s.t.ctx)
    m = await message(retried)
    expect(m.status).toBe('sent')
    expect(m.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['retryable', 'sent'])

    answer = () => ({ status: 400, body: { error: 'bad profile' } })
    const refused = (await send(t, profileId, 'flaky-2')).json().messageId
    await settle(s.t.ctx)
    m = await message(refused)
    expect(m.status).toBe('failed')
    expect(m.reason).toBe('HTTP_400')
    expect(m.providerResponse).toEqual({ error: 'bad profile' })
  })

  it('does not send marketing to a profile that unsubscribed, and says why', async () => {
    const t = await template('Promo', 'marketing')
    const profileId = await profileOf('u-2')
    const groups = (await s.owner.get('/api/v1/messaging/subscription-groups')).json().items
    const webhookGroup = groups.find((g: { channel: string }) => g.channel === 'webhook')
    expect((await s.owner.put(`/api/v1/profiles/${profileId}/consents/${webhookGroup.id}`, { state: 'unsubscribed' })).statusCode).toBe(200)
    const id = (await send(t, profileId, 'promo-1')).json().messageId
    await settle(s.t.ctx)
    const m = await message(id)
    expect(m).toMatchObject({ status: 'suppressed', reason: 'no_consent' })
    const timeline = JSON.stringify((await s.owner.get(`/api/v1/profiles/${profileId}/timeline`)).json())
    expect(timeline).toContain('Unsubscribed')
  })

  it('refuses to publish a template whose variable nothing fills, naming the field', async () => {
    const created = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Typo',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{"n": "{{ profile.frist_name }}"}' },
    })
    const refused = await s.owner.post(`/api/v1/messaging/templates/${created.json().id}/publish`, {})
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.code).toBe('TEMPLATE_INVALID')
    expect(refused.json().error.details.problems).toEqual([
      { field: 'body', variable: 'profile.frist_name', message: 'no profile has the trait "frist_name"' },
    ])
  })

  it('tests the connection with a harmless real call', async () => {
    const accounts = (await s.owner.get('/api/v1/messaging/providers')).json().items
    const tested = await s.owner.post(`/api/v1/messaging/providers/${accounts[0].id}/test`, {})
    expect(tested.json()).toMatchObject({ ok: true })
    expect(JSON.stringify(accounts[0])).not.toContain('a-very-long-signing-secret')
    void runDueJobs
  })
})
