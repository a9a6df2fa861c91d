import type { CatalogueEvent, CatalogueProperty, ManualClock } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { drainLog } from '../../test-support/run-background.js'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'

describe('event catalogue and tracking plans', () => {
  const s = withOwnerApp()
  let writeKey: string
  const clock = () => s.t.ctx.clock as ManualClock
  const send = (path: string, body: unknown) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${path}`,
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: body as Record<string, unknown>,
    })
  const events = async (query = '') => (await s.owner.get(`/api/v1/catalogue/events${query}`)).json().items as CatalogueEvent[]
  const eventNamed = async (name: string) => (await events('?includeHidden=true')).find((e) => e.name === name)
  const properties = async (event: string, extra = '') =>
    (await s.owner.get(`/api/v1/catalogue/properties?event=${encodeURIComponent(event)}${extra}`)).json().items as CatalogueProperty[]
  const propertyOf = async (event: string, name: string) => (await properties(event, '&includeHidden=true')).find((p) => p.name === name)

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'Stores', kind: 'store_pos' })).json().writeKey
  })

  it('finds the types, shares, top values and times of properties as they are received', async () => {
    const t0 = clock().now()
    const cities = ['重庆', '重庆', '重庆', '成都', '成都', '西安', '武汉', '昆明']
    const batch = cities.map((city, i) => ({
      type: 'track',
      userId: `visitor-${i}`,
      event: 'Store Visited',
      timestamp: new Date(t0.getTime() - (cities.length - i) * 60_000).toISOString(),
      properties: {
        city,
        store_id: `store-${i % 2}`,
        visits: i,
        member: i % 2 === 0,
        visited_at: '2026-03-01T08:00:00Z',
        ...(i < 2 ? { weather: { sky: 'sunny', temperature: 21 } } : {}),
        tags: ['a'],
        phone: `1380013800${i}`,
      },
    }))
    expect((await send('batch', { batch })).json()).toMatchObject({ accepted: cities.length })
    await drainLog(s.t.ctx)

    const visited = await eventNamed('Store Visited')
    expect(visited).toMatchObject({ count: 8, hidden: false, violations: 0, plan: null })
    expect(visited?.firstSeen).toBe(batch[0]?.timestamp)
    expect(visited?.lastSeen).toBe(batch.at(-1)?.timestamp)
    const byName = new Map((await properties('Store Visited')).map((p) => [p.name, p]))
    expect(byName.get('city')).toMatchObject({
      types: [{ type: 'string', count: 8 }],
      count: 8,
      share: 1,
      topValues: [
        { value: '重庆', count: 3 },
        { value: '成都', count: 2 },
        { value: '昆明', count: 1 },
        { value: '武汉', count: 1 },
        { value: '西安', count: 1 },
      ],
    })
    expect(byName.get('visits')?.types).toEqual([{ type: 'number', count: 8 }])
    expect(byName.get('member')?.types).toEqual([{ type: 'boolean', count: 8 }])
    expect(byName.get('visited_at')?.types).toEqual([{ type: 'date', count: 8 }])
    expect(byName.get('tags')?.types).toEqual([{ type: 'array', count: 8 }])
    // One level into objects: the object itself and its keys, each with its share of the event's count.
    expect(byName.get('weather')).toMatchObject({ types: [{ type: 'object', count: 2 }], share: 0.25 })
    expect(byName.get('weather.sky')).toMatchObject({ share: 0.25, topValues: [{ value: 'sunny', count: 2 }] })
    expect(byName.get('weather.temperature')?.types).toEqual([{ type: 'number', count: 2 }])
    // Personal values are typed and counted, never kept.
    expect(byName.get('phone')).toMatchObject({ count: 8, topValues: [] })

    // A second batch adds to the counts and mixes types.
    await send('track', { userId: 'visitor-9', event: 'Store Visited', properties: { city: '重庆', visits: 'many' } })
    await drainLog(s.t.ctx)
    const again = await propertyOf('Store Visited', 'visits')
    expect(again?.types).toEqual([
      { type: 'string', count: 1 },
      { type: 'number', count: 8 },
    ])
    expect((await propertyOf('Store Visited', 'weather'))?.share).toBeCloseTo(2 / 9)
    const values = await s.owner.get(`/api/v1/catalogue/values?event=${encodeURIComponent('Store Visited')}&name=city&prefix=重`)
    expect(values.json().items).toEqual([{ value: '重庆', count: 4 }])
    expect((await events('?search=visit')).map((e) => e.name)).toEqual(['Store Visited'])
  })

  it('keeps the traits of identify calls, with their shares and top values', async () => {
    await send('batch', {
      batch: [
        { type: 'identify', userId: 'm-1', traits: { city: '上海', member_level: 'gold', name: 'Wang Fang' } },
        { type: 'identify', userId: 'm-2', traits: { city: '上海' } },
        { type: 'identify', userId: 'm-3', traits: { city: '杭州', member_level: 'basic' } },
        { type: 'identify', userId: 'm-4', traits: { member_level: 'gold' } },
      ],
    })
    await drainLog(s.t.ctx)
    const traits = new Map(((await s.owner.get('/api/v1/catalogue/traits')).json().items as CatalogueProperty[]).map((p) => [p.name, p]))
    expect(traits.get('city')).toMatchObject({
      event: null,
      count: 3,
      share: 0.75,
      topValues: [
        { value: '上海', count: 2 },
        { value: '杭州', count: 1 },
      ],
    })
    expect(traits.get('member_level')?.topValues).toEqual([
      { value: 'gold', count: 2 },
      { value: 'basic', count: 1 },
    ])
    // A trait holding a person's name keeps no values.
    expect(traits.get('name')).toMatchObject({ count: 1, topValues: [] })
    const values = await s.owner.get('/api/v1/catalogue/values?name=member_level&prefix=G')
    expect(values.json().items).toEqual([{ value: 'gold', count: 2 }])
  })

  it('takes descriptions, marks and hiding from operators, audited, and lists the marked names', async () => {
    const described = await s.owner.patch('/api/v1/catalogue/events', { name: 'Store Visited', description: '顾客到店' })
    expect(described.statusCode).toBe(200)
    expect(described.json()).toMatchObject({ name: 'Store Visited', description: '顾客到店', count: 9 })
    const price = await s.owner.patch('/api/v1/catalogue/properties', { event: 'Service Completed', name: 'price', mark: 'money' })
    expect(price.json()).toMatchObject({ event: 'Service Completed', name: 'price', mark: 'money', count: 0 })
    await s.owner.patch('/api/v1/catalogue/properties', { name: 'birthday', mark: 'date', description: '生日' })
    await s.owner.patch('/api/v1/catalogue/properties', { event: 'Store Visited', name: 'tags', hidden: true })
    expect((await s.owner.get('/api/v1/catalogue/marks')).json()).toEqual({ money: ['price'], dates: ['birthday'] })
    expect((await properties('Store Visited')).map((p) => p.name)).not.toContain('tags')
    expect((await propertyOf('Store Visited', 'tags'))?.hidden).toBe(true)
    await s.owner.patch('/api/v1/catalogue/events', { name: 'Store Visited', hidden: true })
    expect((await events()).map((e) => e.name)).not.toContain('Store Visited')
    expect(await eventNamed('Store Visited')).toMatchObject({ hidden: true, description: '顾客到店' })
    await s.owner.patch('/api/v1/catalogue/events', { name: 'Store Visited', hidden: false })
    const audit = (await s.owner.get('/api/v1/audit-log?limit=50')).json().items as Array<{ action: string; entityId: string }>
    expect(audit.filter((a) => a.action.startsWith('catalogue.')).map((a) => `${a.action} ${a.entityId}`)).toEqual(
      expect.arrayContaining(['catalogue.event.update Store Visited', 'catalogue.property.update Service Completed:price']),
    )
    // An analyst reads the catalogue but cannot change it.
    await s.owner.post('/api/v1/users', { email: 'ana@example.com', name: 'Ana', role: 'analyst', password: 'analyst-password' })
    const analyst = await signIn(s.t.app, 'ana@example.com', 'analyst-password')
    expect((await analyst.get('/api/v1/catalogue/events')).statusCode).toBe(200)
    expect((await analyst.patch('/api/v1/catalogue/events', { name: 'Store Visited', hidden: true })).json().error.code).toBe(
      'PERMISSION_DENIED',
    )
  })

  it('counts the events that break a plan in mode accept, with the last reason, and stores them', async () => {
    const plan = {
      required: [
        { property: 'service', type: 'string' },
        { property: 'price', type: 'number' },
      ],
      mode: 'accept',
    }
    expect((await s.owner.patch('/api/v1/catalogue/events', { name: 'Service Completed', plan })).json().plan).toEqual(plan)
    const sent = await send('batch', {
      batch: [
        { type: 'track', userId: 'car-1', event: 'Service Completed', properties: { service: 'basic', price: 6800 } },
        { type: 'track', userId: 'car-2', event: 'Service Completed', properties: { service: 'basic', price: '68' } },
        { type: 'track', userId: 'car-3', event: 'Service Completed', properties: { price: 6800 } },
      ],
    })
    expect(sent.json()).toMatchObject({ accepted: 3, rejected: [] })
    await drainLog(s.t.ctx)
    expect(await eventNamed('Service Completed')).toMatchObject({
      count: 3,
      violations: 2,
      lastViolation: { reason: 'the tracking plan requires properties.service' },
    })
  })

  it('quarantines the events that break a plan in mode quarantine, with the reason, index and field', async () => {
    const plan = {
      required: [
        { property: 'coupon_id', type: 'string' },
        { property: 'discount', type: 'number' },
      ],
      mode: 'quarantine',
    }
    expect((await s.owner.patch('/api/v1/catalogue/events', { name: 'Coupon Redeemed', plan })).statusCode).toBe(200)
    const sent = await send('batch', {
      batch: [
        { type: 'track', userId: 'c-1', event: 'Coupon Redeemed', properties: { coupon_id: 'cp-1', discount: 300 } },
        { type: 'track', userId: 'c-1', event: 'Coupon Redeemed', messageId: 'bad-1', properties: { coupon_id: 'cp-2', discount: '300' } },
        { type: 'track', userId: 'c-1', event: 'Other Event', properties: {} },
      ],
    })
    expect(sent.json()).toMatchObject({
      accepted: 2,
      rejected: [
        {
          index: 1,
          messageId: 'bad-1',
          code: 'TRACKING_PLAN_VIOLATION',
          field: 'properties.discount',
          reason: 'the tracking plan wants properties.discount to be number, not string',
        },
      ],
    })
    const single = await send('track', { userId: 'c-2', event: 'Coupon Redeemed', properties: { discount: 300 } })
    expect(single.statusCode).toBe(400)
    expect(single.json().error).toMatchObject({
      code: 'TRACKING_PLAN_VIOLATION',
      message: 'the tracking plan requires properties.coupon_id',
    })
    const quarantine = (await s.owner.get('/api/v1/quarantine')).json().items as Array<{ code: string; reason: string; field: string }>
    expect(quarantine.filter((q) => q.code === 'TRACKING_PLAN_VIOLATION').map((q) => q.field)).toEqual([
      'properties.coupon_id',
      'properties.discount',
    ])
    await drainLog(s.t.ctx)
    expect(await eventNamed('Coupon Redeemed')).toMatchObject({ count: 1, violations: 0 })
    // Without the plan the same event is taken.
    await s.owner.patch('/api/v1/catalogue/events', { name: 'Coupon Redeemed', plan: null })
    expect((await send('track', { userId: 'c-2', event: 'Coupon Redeemed', properties: { discount: 300 } })).statusCode).toBe(200)
  })
})
