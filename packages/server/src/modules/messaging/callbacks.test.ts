import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { propertySeed } from '../../test-support/property-seed.js'
import { startRecordingServer, type RecordingServer } from '../../test-support/recording-server.js'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

const TOKEN = 'callback-token-0123456789'

/** Provider callbacks at their public endpoint: Aliyun SMS receipts and replies, verified by the account's callback token. */
describe('provider callbacks', () => {
  const s = withOwnerApp()
  let aliyun: RecordingServer
  let callbackPath = ''
  let profileId = ''
  let messageId = ''

  beforeAll(async () => {
    s.t.clock.set(new Date('2026-12-01T02:00:00Z'))
    aliyun = await startRecordingServer(() => ({ body: { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'r-1' } }))
    const account = await s.owner.post('/api/v1/messaging/providers', {
      kind: 'aliyun_sms',
      name: 'Aliyun',
      config: { accessKeyId: 'LTAI-test', accessKeySecret: 'secret-test', baseUrl: aliyun.url, callbackToken: TOKEN },
    })
    expect(account.statusCode, account.body).toBe(201)
    callbackPath = new URL(account.json().callbackUrl).pathname
    const writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    await s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'sms-1', traits: { phone: '+8613800000009', sms_subscribe: 'opted_in' } },
    })
    await settle(s.t.ctx)
    profileId = (await s.owner.get('/api/v1/profiles?search=sms-1')).json().items[0].id
    const t = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Code',
      category: 'transactional',
      draft: {
        channel: 'sms',
        templateCode: 'SMS_154950909',
        signName: '阿里云短信测试',
        text: '您的验证码是${code}',
        params: [{ key: 'code', value: '{{ event.code }}' }],
      },
    })
    expect((await s.owner.post(`/api/v1/messaging/templates/${t.json().id}/publish`, {})).statusCode).toBe(200)
    messageId = (
      await s.owner.post('/api/v1/messaging/send', { templateId: t.json().id, profileId, idempotencyKey: 'otp-1', event: { code: '4821' } })
    ).json().messageId
    await settle(s.t.ctx)
  })
  afterAll(() => aliyun.close())

  const post = (body: unknown, token = TOKEN) =>
    s.t.app.inject({
      method: 'POST',
      url: `${callbackPath}?token=${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    })

  it('sends the rendered SMS through Aliyun and records its BizId', async () => {
    const m = (await s.owner.get(`/api/v1/messaging/messages/${messageId}`)).json()
    expect(m).toMatchObject({ status: 'sent', providerMessageId: '900619746936498440^0', address: '+8613800000009' })
    expect(m.content.text).toBe('【阿里云短信测试】您的验证码是4821')
    expect(new URL(aliyun.requests[0]?.url ?? '', 'http://x').search + (aliyun.requests[0]?.body ?? '')).toContain('4821')
  })

  it('marks the message delivered on its receipt, with a Message Delivered event, and answers Aliyun as it expects', async () => {
    const res = await post([
      {
        phone_number: '13800000009',
        success: true,
        biz_id: '900619746936498440^0',
        out_id: 'x',
        send_time: '2026-12-01 10:00:01',
        report_time: '2026-12-01 10:00:05',
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
      },
    ])
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ code: 0, msg: '成功' })
    const m = (await s.owner.get(`/api/v1/messaging/messages/${messageId}`)).json()
    expect(m.status).toBe('delivered')
    expect(m.timeline.map((t: { status: string }) => t.status)).toEqual(['queued', 'sending', 'sent', 'delivered'])
    expect(JSON.stringify((await s.owner.get(`/api/v1/profiles/${profileId}/timeline`)).json())).toContain('Message Delivered')
  })

  it('unsubscribes a customer who replies TD, from every SMS group', async () => {
    const res = await post([
      { phone_number: '13800000009', content: 'TD', sign_name: '阿里云短信测试', send_time: '2026-12-01 10:05:00', dest_code: '1' },
    ])
    expect(res.statusCode).toBe(200)
    const consents = (await s.owner.get(`/api/v1/profiles/${profileId}/consents`)).json().items
    expect(consents.find((c: { key: string }) => c.key === 'marketing_sms')).toMatchObject({
      state: 'unsubscribed',
      source: 'sms_reply',
      reachable: false,
    })
  })

  it('refuses a callback without the account’s token, and an unknown account, the same way', async () => {
    expect((await post([], 'wrong-token-wrong-token')).statusCode).toBe(401)
    expect((await s.t.app.inject({ method: 'POST', url: '/p/messaging/no-such-account', payload: {} })).statusCode).toBe(401)
  })

  it('answers any body and any token at the public endpoints with a 4xx or a success, never a 500', async () => {
    const { seed, numRuns } = propertySeed('messaging public endpoints', 150)
    const paths = [callbackPath, '/p/messaging/x', '/m/c/', '/m/o/', '/m/u/', '/m/p/']
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.string({ maxLength: 80 }),
        fc.oneof(fc.json(), fc.string({ maxLength: 300 })),
        fc.constantFrom('GET', 'POST'),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/xml', 'text/plain'),
        async (path, token, body, method, contentType) => {
          const url = `${path}${encodeURIComponent(token)}${path === callbackPath ? `?token=${encodeURIComponent(token)}` : ''}`
          const res = await s.t.app.inject({
            method,
            url,
            headers: { 'content-type': contentType },
            ...(method === 'POST' ? { payload: body } : {}),
          })
          expect(res.statusCode, `${method} ${url} ${body}: ${res.body}`).toBeLessThan(500)
        },
      ),
      { seed, numRuns },
    )
  })
})
