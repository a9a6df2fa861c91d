import type { ManualClock, Overview } from '@reachloop/domain'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { drainLog } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

/** The workspace is in Asia/Shanghai (UTC+8): 16:00Z is midnight there. */
describe('daily rollups of the event log', () => {
  const s = withOwnerApp()
  const keys: Record<string, string> = {}
  const sourceIds: Record<string, string> = {}
  const clock = () => s.t.ctx.clock as ManualClock
  const send = async (source: string, batch: object[]) => {
    const response = await s.t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${keys[source]}:`).toString('base64')}` },
      payload: { batch },
    })
    expect(response.json()).toMatchObject({ accepted: batch.length })
  }
  const track = (who: object, event: string, timestamp: string, properties: object = {}) => ({
    type: 'track',
    ...who,
    event,
    timestamp,
    properties,
  })
  const overview = async (days = 7) => {
    const response = await s.owner.get(`/api/v1/analytics/overview?days=${days}`)
    expect(response.statusCode).toBe(200)
    return response.json() as Overview
  }
  const dayOf = (o: Overview, day: string) => o.series.find((d) => d.day === day)
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string

  beforeAll(async () => {
    for (const [name, kind] of [
      ['app', 'mini_program'],
      ['pos', 'store_pos'],
    ] as const) {
      const source = (await s.owner.post('/api/v1/sources', { name: `${name} source`, kind })).json()
      keys[name] = source.writeKey
      sourceIds[name] = source.id
    }
    clock().set(new Date('2026-05-07T04:00:00Z'))
  })

  it('rolls up events that came before the consumer ever ran, from the beginning of the log', async () => {
    await send('app', [
      track({ userId: 'early' }, 'Signed Up', '2026-05-01T15:30:00Z'),
      track({ userId: 'early' }, 'Product Viewed', '2026-05-01T16:30:00Z'),
    ])
    const before = await overview()
    expect(before.totals.events.value).toBe(0)
    expect(before.gettingStarted).toMatchObject({ hasSource: true, firstEvent: null, hasData: false })
    await drainLog(s.t.ctx)
    const after = await overview()
    expect(after.totals.events.value).toBe(2)
    expect(after.gettingStarted).toMatchObject({
      hasSource: true,
      firstEvent: { day: '2026-05-01', sourceId: sourceIds.app, sourceName: 'app source' },
      hasData: true,
    })
  })

  it('counts events per source on their day in the workspace time zone', async () => {
    await send('pos', [
      track({ userId: 'early' }, 'Store Visited', '2026-05-02T15:59:00Z'),
      track({ userId: 'early' }, 'Store Visited', '2026-05-02T16:00:00Z'),
    ])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(o).toMatchObject({ from: '2026-05-01', to: '2026-05-07', timeZone: 'Asia/Shanghai', currency: 'CNY' })
    expect(o.series.map((d) => d.day)).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-05-06',
      '2026-05-07',
    ])
    // 15:30Z on 1 May is 23:30 in Shanghai; 16:30Z is already 2 May.
    expect(dayOf(o, '2026-05-01')?.eventsBySource).toEqual({ [sourceIds.app!]: 1 })
    expect(dayOf(o, '2026-05-02')?.eventsBySource).toEqual({ [sourceIds.app!]: 1, [sourceIds.pos!]: 1 })
    expect(dayOf(o, '2026-05-03')?.eventsBySource).toEqual({ [sourceIds.pos!]: 1 })
    expect(o.sources).toEqual([
      { id: sourceIds.app, name: 'app source', events: { value: 2, previous: 0 } },
      { id: sourceIds.pos, name: 'pos source', events: { value: 2, previous: 0 } },
    ])
  })

  it('counts a customer new on the day of their first event and active once a day, once over the period', async () => {
    const o = await overview()
    expect(dayOf(o, '2026-05-01')).toMatchObject({ newCustomers: 1, activeCustomers: 1, customers: 1 })
    expect(dayOf(o, '2026-05-02')).toMatchObject({ newCustomers: 0, activeCustomers: 1, customers: 1 })
    expect(dayOf(o, '2026-05-03')).toMatchObject({ newCustomers: 0, activeCustomers: 1, customers: 1 })
    // Active on three days, one customer over the week.
    expect(o.totals.activeCustomers).toEqual({ value: 1, previous: 0 })
    expect(o.totals.newCustomers).toEqual({ value: 1, previous: 0 })
    expect(o.totals.customers).toEqual({ value: 1, previous: 0 })
  })

  it('counts an identify as a call of its source, and not as activity', async () => {
    await send('app', [{ type: 'identify', userId: 'quiet', traits: { name: 'Quiet' }, timestamp: '2026-05-04T02:00:00Z' }])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(dayOf(o, '2026-05-04')).toMatchObject({ events: 1, newCustomers: 1, activeCustomers: 0, customers: 2 })
  })

  it('counts a visitor who signs in as one active customer, whether the merge comes before or after the rollup', async () => {
    // A visitor browses on 5 May; the member they are bought on 5 and 6 May; on 6 May the visitor signs in as the member.
    await send('app', [track({ anonymousId: 'visitor-1' }, 'Product Viewed', '2026-05-05T03:00:00Z')])
    await send('pos', [track({ userId: 'member-1' }, 'Store Visited', '2026-05-05T04:00:00Z')])
    await drainLog(s.t.ctx)
    let o = await overview()
    expect(dayOf(o, '2026-05-05')).toMatchObject({ activeCustomers: 2, newCustomers: 2, customers: 4 })
    // Rolled up after the merge: the visitor's day was on its own profile and moves to the member's.
    await send('app', [
      { type: 'identify', userId: 'member-1', anonymousId: 'visitor-1', timestamp: '2026-05-06T02:00:00Z' },
      track({ userId: 'member-1' }, 'Product Viewed', '2026-05-06T02:01:00Z'),
    ])
    await drainLog(s.t.ctx)
    o = await overview()
    // The visitor was the member all along: one new customer on 5 May, not two.
    expect(dayOf(o, '2026-05-05')).toMatchObject({ activeCustomers: 1, newCustomers: 1, customers: 3 })
    expect(dayOf(o, '2026-05-06')).toMatchObject({ activeCustomers: 1, customers: 3 })
    expect(o.totals.customers.value).toBe(3)
    // Two customers this week: "early" and the member the visitor became ("quiet" only identified).
    expect(o.totals.activeCustomers.value).toBe(2)

    // Rolled up before the merge: a second visitor, merged by hand before the consumer reads its events.
    await send('app', [track({ anonymousId: 'visitor-2' }, 'Product Viewed', '2026-05-06T05:00:00Z')])
    const visitor = (await s.owner.get('/api/v1/profiles/by-identifier/anonymous_id/visitor-2')).json().id as string
    const merged = await s.owner.post(`/api/v1/profiles/${visitor}/merge`, { intoProfileId: await profileOf('early') })
    expect(merged.statusCode).toBe(200)
    await drainLog(s.t.ctx)
    o = await overview()
    expect(dayOf(o, '2026-05-06')).toMatchObject({ activeCustomers: 2, newCustomers: 0, customers: 3 })
    expect(o.totals.activeCustomers.value).toBe(2)
  })

  it('keeps a merged profile active on its own days on the survivor when the merge comes first (the hook)', async () => {
    await send('pos', [track({ userId: 'member-2' }, 'Store Visited', '2026-05-07T01:00:00Z')])
    await send('app', [track({ anonymousId: 'visitor-3' }, 'Product Viewed', '2026-05-07T01:30:00Z')])
    await drainLog(s.t.ctx)
    expect(dayOf(await overview(), '2026-05-07')).toMatchObject({ activeCustomers: 2, customers: 5 })
    const visitor = (await s.owner.get('/api/v1/profiles/by-identifier/anonymous_id/visitor-3')).json().id as string
    const member = await profileOf('member-2')
    expect((await s.owner.post(`/api/v1/profiles/${visitor}/merge`, { intoProfileId: member })).statusCode).toBe(200)
    // Before the consumer has read the merge, its hook has moved the visitor's day to the member.
    const { rows } = await sql<{ profile_id: string }>`
      SELECT profile_id FROM analytics_active_days WHERE workspace_id = ${s.owner.workspaceId} AND day = '2026-05-07'`.execute(s.t.ctx.db)
    expect(rows.map((r) => r.profile_id)).toEqual([member])
    await drainLog(s.t.ctx)
    expect(dayOf(await overview(), '2026-05-07')).toMatchObject({ activeCustomers: 1, customers: 4 })

    // Merged into a survivor first seen later, a profile gives it its earlier first day.
    await send('app', [{ type: 'identify', anonymousId: 'visitor-5', timestamp: '2026-05-07T03:30:00Z' }])
    await drainLog(s.t.ctx)
    expect(dayOf(await overview(), '2026-05-07')).toMatchObject({ newCustomers: 2, customers: 5 })
    const later = (await s.owner.get('/api/v1/profiles/by-identifier/anonymous_id/visitor-5')).json().id as string
    expect((await s.owner.post(`/api/v1/profiles/${await profileOf('quiet')}/merge`, { intoProfileId: later })).statusCode).toBe(200)
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(dayOf(o, '2026-05-04')).toMatchObject({ newCustomers: 1, customers: 2 })
    expect(dayOf(o, '2026-05-07')).toMatchObject({ newCustomers: 1, customers: 4 })
  })

  it('counts nobody new for a visitor who arrives and signs in within one batch', async () => {
    const before = (await overview()).totals.customers.value
    await send('app', [
      track({ anonymousId: 'visitor-4' }, 'Product Viewed', '2026-05-07T03:00:00Z'),
      { type: 'identify', userId: 'member-2', anonymousId: 'visitor-4', timestamp: '2026-05-07T03:01:00Z' },
    ])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(o.totals.customers.value).toBe(before)
    expect(dayOf(o, '2026-05-07')?.activeCustomers).toBe(1)
  })

  it('counts orders and sums their totals in minor units, in the workspace currency', async () => {
    await send('pos', [
      track({ userId: 'member-1' }, 'Order Completed', '2026-05-07T02:00:00Z', { order_id: 'o-1', total: 8800, currency: 'CNY' }),
      track({ userId: 'member-1' }, 'Order Completed', '2026-05-07T02:10:00Z', { order_id: 'o-2', total: 1200 }),
      // Another currency is not added to yuan; an order without a total still counts as an order.
      track({ userId: 'member-2' }, 'Order Completed', '2026-05-07T02:20:00Z', { order_id: 'o-3', total: 500, currency: 'USD' }),
      track({ userId: 'member-2' }, 'Order Completed', '2026-05-07T02:30:00Z', { order_id: 'o-4' }),
      track({ userId: 'member-2' }, 'Checkout Started', '2026-05-07T02:40:00Z', { order_id: 'o-5', total: 99900 }),
    ])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(dayOf(o, '2026-05-07')).toMatchObject({ orders: 4, revenue: 10000 })
    expect(o.totals.orders).toEqual({ value: 4, previous: 0 })
    expect(o.totals.revenue).toEqual({ value: 10000, previous: 0 })
  })

  it("gives each total the previous period's value for the change", async () => {
    // Seven days on, this week becomes the previous period.
    clock().set(new Date('2026-05-14T04:00:00Z'))
    await send('pos', [
      track({ userId: 'member-1' }, 'Order Completed', '2026-05-13T02:00:00Z', { order_id: 'o-6', total: 3000 }),
      track({ userId: 'newcomer' }, 'Store Visited', '2026-05-14T01:00:00Z'),
    ])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(o).toMatchObject({ from: '2026-05-08', to: '2026-05-14' })
    expect(o.totals).toEqual({
      customers: { value: 5, previous: 4 },
      newCustomers: { value: 1, previous: 4 },
      activeCustomers: { value: 2, previous: 3 },
      events: { value: 2, previous: 20 },
      orders: { value: 1, previous: 4 },
      revenue: { value: 3000, previous: 10000 },
    })
    expect(dayOf(o, '2026-05-08')).toMatchObject({ customers: 4, events: 0 })
    const month = await overview(30)
    expect(month).toMatchObject({ from: '2026-04-15', to: '2026-05-14' })
    expect(month.series).toHaveLength(30)
    expect(month.totals.events).toEqual({ value: 22, previous: 0 })
    expect(month.totals.activeCustomers).toEqual({ value: 4, previous: 0 })
  })

  it('takes an erased customer out of the customers of their first day, and out of the active ones', async () => {
    const erased = await s.owner.delete(`/api/v1/profiles/${await profileOf('newcomer')}`)
    expect(erased.statusCode).toBe(200)
    const o = await overview()
    expect(dayOf(o, '2026-05-14')).toMatchObject({ customers: 4, newCustomers: 0, activeCustomers: 0 })
    expect(o.totals.customers).toEqual({ value: 4, previous: 4 })
  })

  it('takes refunds off the revenue of the day they were made, in their currency; orders stay counted', async () => {
    await send('pos', [
      track({ userId: 'member-1' }, 'Order Refunded', '2026-05-14T03:00:00Z', { order_id: 'o-6', total: 1000, currency: 'CNY' }),
      track({ userId: 'member-1' }, 'Order Refunded', '2026-05-14T03:10:00Z', { order_id: 'o-3', total: 500, currency: 'USD' }),
    ])
    await drainLog(s.t.ctx)
    const o = await overview()
    expect(dayOf(o, '2026-05-13')).toMatchObject({ orders: 1, revenue: 3000 })
    expect(dayOf(o, '2026-05-14')).toMatchObject({ orders: 0, revenue: -1000 })
    expect(o.totals.revenue).toEqual({ value: 2000, previous: 10000 })
    expect(o.totals.orders).toEqual({ value: 1, previous: 4 })
  })

  it('refuses a period other than 7 or 30 days', async () => {
    const response = await s.owner.get('/api/v1/analytics/overview?days=14')
    expect(response.statusCode).toBe(400)
  })
})
