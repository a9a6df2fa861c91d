import { beforeAll, describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'
import { signWebhook } from './webhooks.js'

describe('inbound webhooks', () => {
  const s = withOwnerApp()
  let sourceId: string
  let secret: string
  const push = (body: string, signature: string, id = sourceId) =>
    s.t.app.inject({
      method: 'POST',
      url: `/p/webhooks/${id}`,
      headers: { 'content-type': 'application/json', 'x-reachloop-signature': signature },
      payload: body,
    })

  beforeAll(async () => {
    sourceId = (await s.owner.post('/api/v1/sources', { name: 'Youzan shop', kind: 'webhook' })).json().id
    const set = await s.owner.request({
      method: 'PUT',
      url: `/api/v1/sources/${sourceId}/webhook`,
      payload: {
        kind: 'events',
        mapping: {
          eventName: 'Order Completed',
          messageId: 'trade.tid',
          timestamp: 'trade.created',
          traits: { phone: 'buyer.mobile' },
          properties: { order_id: 'trade.tid', total: 'trade.payment', store_id: 'shop_id' },
        },
      },
    })
    expect(set.statusCode).toBe(200)
    expect(set.json().url).toContain(`/p/webhooks/${sourceId}`)
    secret = set.json().secret
    expect(secret).toMatch(/^whsec_/)
  })

  const order = JSON.stringify({
    shop_id: 'yz-1',
    trade: { tid: 'E2026112401', payment: '15800', created: '2026-11-24T08:00:00Z' },
    buyer: { mobile: '13800005555' },
  })

  it("turns a signed order push into an event on the buyer's profile, once", async () => {
    const res = await push(order, signWebhook(secret, order))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0 })
    const profile = (await s.owner.get('/api/v1/profiles/by-identifier/phone/13800005555')).json()
    const timeline = async () =>
      (
        (await s.owner.get(`/api/v1/profiles/${profile.id}/timeline`)).json().items as Array<{ name: string; sourceId: string | null }>
      ).sort((a, b) => a.name.localeCompare(b.name))
    // The order, and the Profile Created the platform adds for a buyer seen for the first time, dated with the order.
    const [event, created] = await timeline()
    expect(event).toMatchObject({
      name: 'Order Completed',
      sourceId,
      timestamp: '2026-11-24T08:00:00.000Z',
      properties: { order_id: 'E2026112401', total: 15800, store_id: 'yz-1' },
    })
    expect(created).toMatchObject({ name: 'Profile Created', sourceId: null, timestamp: '2026-11-24T08:00:00.000Z', properties: {} })
    // Platforms retry pushes: the same order is not counted twice.
    expect((await push(order, signWebhook(secret, order))).json()).toMatchObject({ accepted: 0, duplicates: 1 })
    expect((await timeline()).map((e) => e.name)).toEqual(['Order Completed', 'Profile Created'])
  })

  it('refuses a wrong signature, a changed body and an unknown source alike, storing nothing', async () => {
    const tampered = order.replace('15800', '1')
    for (const res of [
      await push(order, 'sha256=00'),
      await push(tampered, signWebhook(secret, order)),
      await push(order, signWebhook(secret, order), '00000000-0000-4000-8000-000000000000'),
      await push(order, ''),
    ]) {
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('INVALID_SIGNATURE')
    }
    const count = await s.t.ctx.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    // Only the order of the test above and its buyer's Profile Created.
    expect(Number(count.n)).toBe(2)
  })

  it('keeps the signing secret encrypted at rest and the same across mapping changes', async () => {
    const row = await s.t.ctx.db
      .selectFrom('sources')
      .select('webhook_secret_ciphertext')
      .where('id', '=', sourceId)
      .executeTakeFirstOrThrow()
    expect(row.webhook_secret_ciphertext).not.toContain(secret)
    const again = await s.owner.request({
      method: 'PUT',
      url: `/api/v1/sources/${sourceId}/webhook`,
      payload: { kind: 'profiles', mapping: { traits: { phone: 'buyer.mobile', name: 'buyer.name' } } },
    })
    expect(again.json().secret).toBe(secret)
  })

  it('answers signed pushes holding values that cannot be stored with a 4xx or their rejection, never a 500', async () => {
    const bodies = [
      '{"shop_id":"yz-\\u0000","trade":{"tid":"E-nul","payment":"1","created":"2026-11-24T08:00:00Z"},"buyer":{"mobile":"13800005556"}}',
      '{"shop_id":"\\ud800","trade":{"tid":"E-surrogate","payment":"1","created":"2026-11-24T08:00:00Z"},"buyer":{"mobile":"13800005557"}}',
      '{"shop_id":"yz-1","trade":{"tid":"E-year0","payment":"1","created":"0000-01-01T00:00:00Z"},"buyer":{"mobile":"13800005558"}}',
      `{"shop_id":${'['.repeat(50_000)}${']'.repeat(50_000)},"trade":{"tid":"E-deep","payment":"1"},"buyer":{"mobile":"13800005559"}}`,
      '{"__proto__":{"x":1},"trade":{"tid":"E-proto"}}',
      `[${Array.from({ length: 3 }, () => '"\\u0000"').join(',')}]`,
      'not json',
    ]
    for (const body of bodies) {
      const res = await push(body, signWebhook(secret, body))
      expect(res.statusCode, `${body.slice(0, 80)}: ${res.body}`).toBeLessThan(500)
    }
  })
})
