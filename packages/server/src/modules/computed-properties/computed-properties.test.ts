import type { ManualClock, SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { drainLog, settle } from '../../test-support/run-background.js'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'

const DAY = 86_400_000

describe('computed properties', () => {
  const s = withOwnerApp()
  let writeKey: string
  const clock = () => s.t.ctx.clock as ManualClock
  const send = (path: string, body: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${path}`,
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { timestamp: clock().now().toISOString(), ...body },
    })
  const order = (userId: string, total: number, daysAgo = 0) =>
    send('track', {
      userId,
      event: 'Order Completed',
      properties: { total },
      timestamp: new Date(clock().now().getTime() - daysAgo * DAY).toISOString(),
    })
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string
  const valuesOf = async (userId: string) =>
    Object.fromEntries(
      (
        (await s.owner.get(`/api/v1/profiles/${await profileOf(userId)}/computed`)).json().items as Array<{ name: string; value: unknown }>
      ).map((i) => [i.name, i.value]),
    )
  const memberIds = async (segmentId: string) =>
    ((await s.owner.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ id: string }>).map((m) => m.id).sort()

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'POS', kind: 'store_pos' })).json().writeKey
  })

  it('keeps aggregates, intervals and RFM per profile, from a full computation and then from each event', async () => {
    // Five customers with ever fewer, older and smaller orders.
    const histories: Array<[string, Array<[number, number]>]> = [
      [
        'rfm-1',
        [
          [1, 900],
          [5, 900],
          [9, 900],
          [20, 900],
          [40, 900],
        ],
      ],
      [
        'rfm-2',
        [
          [10, 500],
          [30, 500],
          [50, 500],
          [70, 500],
        ],
      ],
      [
        'rfm-3',
        [
          [40, 300],
          [80, 300],
          [120, 300],
        ],
      ],
      [
        'rfm-4',
        [
          [100, 200],
          [200, 200],
        ],
      ],
      ['rfm-5', [[300, 50]]],
    ]
    for (const [userId, orders] of histories) for (const [daysAgo, total] of orders) await order(userId, total, daysAgo)
    await send('identify', { userId: 'no-orders', traits: { name: 'Window shopper' } })
    await drainLog(s.t.ctx)

    const create = async (name: string, definition: Record<string, unknown>) => {
      const res = await s.owner.post('/api/v1/computed-properties', {
        name,
        definition: { event: 'Order Completed', filters: [], window: { type: 'last', amount: 365, unit: 'days' }, ...definition },
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    }
    await create('spend_365d', { kind: 'aggregate', aggregate: 'sum', property: 'total' })
    await create('orders_365d', { kind: 'aggregate', aggregate: 'count' })
    await create('last_order_total', { kind: 'aggregate', aggregate: 'last', property: 'total', window: { type: 'ever' } })
    await create('days_between_orders', { kind: 'interval' })
    const rfm = await create('rfm', { kind: 'rfm', monetaryProperty: 'total' })
    // Created properties are computed by a job.
    await settle(s.t.ctx)

    expect(await valuesOf('rfm-1')).toMatchObject({
      spend_365d: 4500,
      orders_365d: 5,
      last_order_total: 900,
      days_between_orders: 39 / 4,
      rfm: { r: 5, f: 5, m: 5, group: 'champions', recency_days: 1 },
    })
    expect(await valuesOf('rfm-5')).toMatchObject({
      spend_365d: 50,
      orders_365d: 1,
      days_between_orders: null,
      rfm: { score: '111', group: 'lost' },
    })
    // No orders: count and sum hold 0, the rest nothing.
    expect(await valuesOf('no-orders')).toEqual({
      spend_365d: 0,
      orders_365d: 0,
      last_order_total: null,
      days_between_orders: null,
      rfm: null,
    })
    const list = (await s.owner.get('/api/v1/computed-properties')).json().items as Array<{
      name: string
      profiles: number
      computedAt: string | null
    }>
    expect(list.find((p) => p.name === 'rfm')).toMatchObject({ profiles: 5 })
    expect(list.every((p) => p.computedAt !== null)).toBe(true)
    const distribution = (await s.owner.get(`/api/v1/computed-properties/${rfm}/distribution`)).json()
    expect(distribution.groups).toEqual(
      expect.arrayContaining([
        { value: 'champions', profiles: 1 },
        { value: 'lost', profiles: 1 },
      ]),
    )

    // A segment on a computed value, kept current as events arrive.
    const atRisk = await s.owner.post('/api/v1/segments', {
      name: 'RFM champions',
      kind: 'dynamic',
      definition: {
        kind: 'computed',
        propertyId: rfm,
        part: 'group',
        type: 'string',
        op: 'in',
        values: ['champions', 'loyal_customers'],
      } satisfies SegmentNode,
    })
    expect(atRisk.statusCode, atRisk.body).toBe(201)
    await settle(s.t.ctx)
    expect(await memberIds(atRisk.json().id)).toEqual([await profileOf('rfm-1'), await profileOf('rfm-2')].sort())

    // rfm-3 orders today, often and much: the consumer updates its values (scored against the
    // bands of the full computation) and the segment takes it in, without a full computation.
    for (let i = 0; i < 3; i++) await order('rfm-3', 2000)
    await drainLog(s.t.ctx)
    expect(await valuesOf('rfm-3')).toMatchObject({
      spend_365d: 6900,
      orders_365d: 6,
      last_order_total: 2000,
      rfm: { r: 5, f: 5, group: 'champions' },
    })
    expect(await memberIds(atRisk.json().id)).toContain(await profileOf('rfm-3'))

    // A property in use cannot go; an unused one can, with its values.
    const refused = await s.owner.delete(`/api/v1/computed-properties/${rfm}`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({
      code: 'COMPUTED_PROPERTY_IN_USE',
      details: { usedBy: [{ kind: 'segment', name: 'RFM champions' }] },
    })
  })

  it('slides with time: a scheduled refresh recomputes values and the segments using them', async () => {
    await order('slider', 700, 80)
    await drainLog(s.t.ctx)
    const property = (
      await s.owner.post('/api/v1/computed-properties', {
        name: 'spend_90d',
        definition: {
          kind: 'aggregate',
          event: 'Order Completed',
          filters: [],
          window: { type: 'last', amount: 90, unit: 'days' },
          aggregate: 'sum',
          property: 'total',
        },
      })
    ).json()
    await settle(s.t.ctx)
    const segment = (
      await s.owner.post('/api/v1/segments', {
        name: 'Spent 500 in 90 days (computed)',
        kind: 'dynamic',
        definition: { kind: 'computed', propertyId: property.id, type: 'number', op: 'gte', value: 500 },
      })
    ).json()
    await settle(s.t.ctx)
    expect(await memberIds(segment.id)).toContain(await profileOf('slider'))
    clock().advance(11 * DAY)
    s.owner = await signIn(s.t.app, 'owner@example.com', 'owner-password')
    await s.t.ctx.jobs.enqueue({ queue: 'segments.refresh' })
    await settle(s.t.ctx)
    expect((await valuesOf('slider')).spend_90d).toBe(0)
    expect(await memberIds(segment.id)).not.toContain(await profileOf('slider'))
  })

  it('refuses what cannot be computed, naming where, and keeps nothing', async () => {
    const before = (await s.owner.get('/api/v1/computed-properties')).json().items.length
    const bad = await s.owner.post('/api/v1/computed-properties', {
      name: 'avg_nothing',
      definition: { kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'avg' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({
      code: 'INVALID_DEFINITION',
      details: { problems: [{ path: 'definition.property', message: 'avg needs a numeric property' }] },
    })
    const badName = await s.owner.post('/api/v1/computed-properties', {
      name: 'Spend!',
      definition: { kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'count' },
    })
    expect(badName.statusCode).toBe(400)
    const unknown = await s.owner.post('/api/v1/segments/preview', {
      definition: { kind: 'computed', propertyId: '00000000-0000-4000-8000-000000000000', type: 'number', op: 'gt', value: 1 },
    })
    expect(unknown.json().error.code).toBe('COMPUTED_PROPERTY_NOT_FOUND')
    expect((await s.owner.get('/api/v1/computed-properties')).json().items.length).toBe(before)
  })
})
