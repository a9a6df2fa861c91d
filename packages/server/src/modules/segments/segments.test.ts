import type { ManualClock, SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { currentLogMark } from '../../platform/event-log/log-mark.js'
import { drainLog, runDueJobs, settle } from '../../test-support/run-background.js'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'

describe('segments', () => {
  const s = withOwnerApp()
  let writeKey: string
  const clock = () => s.t.ctx.clock as ManualClock
  const track = (body: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { timestamp: clock().now().toISOString(), ...body },
    })
  const identify = (body: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { timestamp: clock().now().toISOString(), ...body },
    })
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string
  const memberIds = async (segmentId: string) =>
    ((await s.owner.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ id: string }>).map((m) => m.id).sort()
  const create = async (name: string, definition: SegmentNode) => {
    const res = await s.owner.post('/api/v1/segments', { name, kind: 'dynamic', definition })
    expect(res.statusCode, res.body).toBe(201)
    await settle(s.t.ctx)
    return res.json().id as string
  }

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
  })

  const bigSpenders: SegmentNode = {
    kind: 'event',
    event: 'Order Completed',
    filters: [],
    window: { type: 'last', amount: 90, unit: 'days' },
    aggregate: 'sum',
    property: 'total',
    comparison: 'gte',
    value: 50_000,
  }

  it('computes a new segment, previews a definition, and keeps members current as events arrive', async () => {
    await track({ userId: 'spender-1', event: 'Order Completed', properties: { total: 30_000 } })
    await track({ userId: 'spender-1', event: 'Order Completed', properties: { total: 25_000 } })
    await track({ userId: 'small-1', event: 'Order Completed', properties: { total: 8_800 } })
    await drainLog(s.t.ctx)

    const previewed = await s.owner.post('/api/v1/segments/preview', { definition: bigSpenders })
    expect(previewed.statusCode, previewed.body).toBe(200)
    const preview = previewed.json()
    expect(preview.count).toBe(1)
    expect(preview.sample.map((p: { id: string }) => p.id)).toEqual([await profileOf('spender-1')])

    const id = await create('Spent 500 in 90 days', bigSpenders)
    const segment = (await s.owner.get(`/api/v1/segments/${id}`)).json()
    expect(segment).toMatchObject({ size: 1, changesWithTime: true })
    expect(segment.computedAt).not.toBeNull()
    expect(await memberIds(id)).toEqual([await profileOf('spender-1')])

    // A new order takes small-1 over the line: it enters on the event, without a full computation.
    await track({ userId: 'small-1', event: 'Order Completed', properties: { total: 45_000 } })
    await drainLog(s.t.ctx)
    expect(await memberIds(id)).toEqual([await profileOf('spender-1'), await profileOf('small-1')].sort())
    expect((await s.owner.get(`/api/v1/segments/${id}`)).json().size).toBe(2)
    // The entry is on the timeline as an internal event, and in the profile's audiences.
    const timeline = (await s.owner.get(`/api/v1/profiles/${await profileOf('small-1')}/timeline`)).json().items as Array<{
      name: string
      properties: Record<string, unknown>
    }>
    expect(timeline.find((e) => e.name === 'Segment Entered')?.properties).toEqual({ segment_id: id, segment_name: 'Spent 500 in 90 days' })
    expect(
      (await s.owner.get(`/api/v1/profiles/${await profileOf('small-1')}/audiences`)).json().segments.map((x: { name: string }) => x.name),
    ).toEqual(['Spent 500 in 90 days'])

    // 91 days later the orders have slid out of the window: the scheduled refresh lets both go, with no new event.
    clock().advance(91 * 86_400_000)
    s.owner = await signIn(s.t.app, 'owner@example.com', 'owner-password')
    await s.t.ctx.jobs.enqueue({ queue: 'segments.refresh' })
    await settle(s.t.ctx)
    expect(await memberIds(id)).toEqual([])
    const sizes = (await s.owner.get(`/api/v1/segments/${id}/sizes`)).json()
    expect(sizes.changes.reduce((n: number, d: { exited: number }) => n + d.exited, 0)).toBe(2)
  })

  it('"did A and not B within 5 minutes": enters when the 5 minutes pass without B, not if B comes at 4:59', async () => {
    const visitedNoOrder: SegmentNode = {
      kind: 'sequence',
      first: { event: 'Store Visited', filters: [{ property: 'city', type: 'string', op: 'equals', value: 'Chongqing' }] },
      then: { event: 'Order Completed', filters: [] },
      mode: 'not_then',
      withinMinutes: 5,
      window: { type: 'last', amount: 1, unit: 'days' },
    }
    const id = await create('Visited, no order', visitedNoOrder)
    await track({ userId: 'browser-1', event: 'Store Visited', properties: { city: 'Chongqing' } })
    await track({ userId: 'buyer-1', event: 'Store Visited', properties: { city: 'Chongqing' } })
    await track({ userId: 'elsewhere-1', event: 'Store Visited', properties: { city: 'Chengdu' } })
    await settle(s.t.ctx)
    expect(await memberIds(id)).toEqual([])

    clock().advance(4 * 60_000 + 59_000)
    await track({ userId: 'buyer-1', event: 'Order Completed', properties: { total: 100 } })
    await settle(s.t.ctx)
    expect(await memberIds(id)).toEqual([])

    // One second later the five minutes are up: the deadline job runs and browser-1 enters; buyer-1 does not.
    clock().advance(1_000)
    await settle(s.t.ctx)
    expect(await memberIds(id)).toEqual([await profileOf('browser-1')])
  })

  it("anniversaries follow the profile's own time zone", async () => {
    // 2026-06-15T20:00Z is already June 16 in Shanghai but still June 15 in New York.
    clock().set(new Date('2026-06-15T20:00:00Z'))
    await identify({ userId: 'bday-sh', traits: { birthday: '1990-06-16' } })
    await identify({ userId: 'bday-ny', traits: { birthday: '1990-06-16', timezone: 'America/New_York' } })
    await identify({ userId: 'bday-ny-today', traits: { birthday: '1990-06-15', timezone: 'America/New_York' } })
    await drainLog(s.t.ctx)
    const todayOnly: SegmentNode = { kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 0 }
    const id = await create('Birthday today', todayOnly)
    expect(await memberIds(id)).toEqual([await profileOf('bday-sh'), await profileOf('bday-ny-today')].sort())
  })

  it('refuses definitions that do not hold, naming where, and keeps nothing', async () => {
    const before = (await s.owner.get('/api/v1/segments')).json().items.length
    const wrongOp = await s.owner.post('/api/v1/segments', {
      name: 'Bad',
      kind: 'dynamic',
      definition: { kind: 'and', children: [{ kind: 'trait', trait: 'city', type: 'number', op: 'contains', value: 'x' }] },
    })
    expect(wrongOp.statusCode).toBe(400)
    expect(wrongOp.json().error.code).toBe('INVALID_DEFINITION')
    expect(wrongOp.json().error.details.problems).toEqual([{ path: 'children.0.op', message: 'contains does not apply to a number value' }])
    const unknownTag = await s.owner.post('/api/v1/segments', {
      name: 'Bad',
      kind: 'dynamic',
      definition: { kind: 'tag', tagId: '00000000-0000-4000-8000-000000000000', has: true },
    })
    expect(unknownTag.json().error.code).toBe('TAG_NOT_FOUND')
    const schema = await s.owner.post('/api/v1/segments', { name: 'Bad', kind: 'dynamic', definition: { kind: 'trait', trait: 'city' } })
    expect(schema.statusCode).toBe(400)
    expect(schema.json().error.code).toBe('VALIDATION_FAILED')
    // Nested past the limit of groups, in a segment and in a rule tag: refused by name before anything recursive runs.
    let deep: SegmentNode = { kind: 'identifier', identifierType: 'phone', has: true }
    for (let i = 0; i < 40; i += 1) deep = { kind: 'not', child: deep }
    for (const [url, body] of [
      ['/api/v1/segments', { name: 'Deep', kind: 'dynamic', definition: deep }],
      ['/api/v1/tags', { name: 'Deep', kind: 'rule', definition: deep }],
      ['/api/v1/segments/preview', { definition: deep }],
    ] as const) {
      const tooDeep = await s.owner.post(url, body)
      expect([url, tooDeep.statusCode, tooDeep.json().error.code, tooDeep.json().error.details.problems]).toEqual([
        url,
        400,
        'INVALID_DEFINITION',
        [{ path: Array(9).fill('child').join('.'), message: 'groups nest at most 8 deep' }],
      ])
    }
    const taken = await s.owner.post('/api/v1/segments', {
      name: 'Birthday today',
      kind: 'dynamic',
      definition: { kind: 'identifier', identifierType: 'phone', has: true },
    })
    expect(taken.statusCode).toBe(409)
    expect((await s.owner.get('/api/v1/segments')).json().items.length).toBe(before)
  })

  it('builds segments on segments, refuses circles, and follows the inner one through the log', async () => {
    const hasPhone = await create('Has phone', { kind: 'identifier', identifierType: 'phone', has: true })
    const outer = await create('Phone, no birthday', {
      kind: 'and',
      children: [
        { kind: 'segment', segmentId: hasPhone, member: true },
        { kind: 'trait', trait: 'birthday', type: 'date', op: 'not_exists' },
      ],
    })
    expect(await memberIds(outer)).toEqual([])
    const circle = await s.owner.patch(`/api/v1/segments/${hasPhone}`, { definition: { kind: 'segment', segmentId: outer, member: false } })
    expect(circle.statusCode).toBe(409)
    expect(circle.json().error.code).toBe('SEGMENT_CYCLE')
    expect((await s.owner.delete(`/api/v1/segments/${hasPhone}`)).json().error.code).toBe('SEGMENT_IN_USE')

    await identify({ userId: 'phone-1', traits: { phone: '13800001111' } })
    await settle(s.t.ctx)
    expect(await memberIds(hasPhone)).toEqual([await profileOf('phone-1')])
    expect(await memberIds(outer)).toEqual([await profileOf('phone-1')])
  })

  it('fills a static segment from identifiers, appending or replacing, and exports members as CSV', async () => {
    const res = await s.owner.post('/api/v1/segments', { name: 'VIP list', kind: 'static' })
    expect(res.statusCode).toBe(201)
    const id = res.json().id as string
    const first = await s.owner.post(`/api/v1/segments/${id}/members`, {
      mode: 'append',
      identifierType: 'user_id',
      values: ['spender-1', 'small-1', 'nobody'],
    })
    expect(first.json()).toEqual({ size: 2, entered: 2, exited: 0, unknown: 1 })
    const again = await s.owner.post(`/api/v1/segments/${id}/members`, { mode: 'append', identifierType: 'user_id', values: ['phone-1'] })
    expect(again.json()).toMatchObject({ size: 3, entered: 1, exited: 0 })
    const replaced = await s.owner.post(`/api/v1/segments/${id}/members`, {
      mode: 'replace',
      identifierType: 'phone',
      values: ['138 0000 1111'],
    })
    expect(replaced.json()).toMatchObject({ size: 1, entered: 0, exited: 2 })
    // A name a spreadsheet would run as a formula (OWASP CSV injection), a leading tab included.
    await identify({ userId: 'phone-1', traits: { name: '\t=HYPERLINK("http://evil.example")' } })
    const csv = await s.owner.get(`/api/v1/segments/${id}/members.csv`)
    expect(csv.body).toContain(`,"'\t=HYPERLINK(""http://evil.example"")",`)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\n')[0]).toBe('profile_id,entered_at,name,phone,email,user_id')
    expect(csv.body).toContain(`${await profileOf('phone-1')},`)
    expect(csv.body).toContain(',13800001111,')
    const dynamic = await s.owner.post(`/api/v1/segments/${id}/compute`)
    expect(dynamic.json().error.code).toBe('WRONG_SEGMENT_KIND')
  })

  it('tags: manual tags by identifier, one per exclusive group, rule tags computed like segments, a history per profile', async () => {
    const lifecycle = (await s.owner.post('/api/v1/tag-groups', { name: 'Lifecycle', exclusive: true })).json()
    const active = (await s.owner.post('/api/v1/tags', { name: 'Active', kind: 'manual', groupId: lifecycle.id })).json()
    const dormant = (await s.owner.post('/api/v1/tags', { name: 'Dormant', kind: 'manual', groupId: lifecycle.id })).json()
    const tagged = await s.owner.post(`/api/v1/tags/${active.id}/profiles`, {
      action: 'add',
      identifierType: 'user_id',
      values: ['spender-1', 'small-1', 'nobody'],
    })
    expect(tagged.json()).toEqual({ changed: 2, unknown: 1, size: 2 })
    // In an exclusive group, Dormant replaces Active.
    expect(
      (
        await s.owner.post(`/api/v1/tags/${dormant.id}/profiles`, { action: 'add', identifierType: 'user_id', values: ['spender-1'] })
      ).json(),
    ).toMatchObject({ changed: 1, size: 1 })
    const tags = (await s.owner.get('/api/v1/tags')).json().items as Array<{ name: string; size: number }>
    expect(tags.filter((t) => t.name === 'Active' || t.name === 'Dormant').map((t) => `${t.name}=${t.size}`)).toEqual([
      'Active=1',
      'Dormant=1',
    ])
    const audiences = (await s.owner.get(`/api/v1/profiles/${await profileOf('spender-1')}/audiences`)).json()
    expect(audiences.tags).toEqual([expect.objectContaining({ name: 'Dormant', group: 'Lifecycle' })])
    const history = (await s.owner.get(`/api/v1/profiles/${await profileOf('spender-1')}/audience-history`)).json().items as Array<{
      name: string
      change: string
    }>
    expect(history.filter((h) => h.name === 'Active' || h.name === 'Dormant').map((h) => `${h.change} ${h.name}`)).toEqual([
      'entered Dormant',
      'exited Active',
      'entered Active',
    ])

    // A segment on a tag follows tagging through the log.
    const dormantSegment = await create('Dormant customers', { kind: 'tag', tagId: dormant.id, has: true })
    expect(await memberIds(dormantSegment)).toEqual([await profileOf('spender-1')])
    await s.owner.post(`/api/v1/tags/${dormant.id}/profiles`, { action: 'remove', identifierType: 'user_id', values: ['spender-1'] })
    await settle(s.t.ctx)
    expect(await memberIds(dormantSegment)).toEqual([])

    // A rule tag is computed like a segment and kept current by events.
    const rule = await s.owner.post('/api/v1/tags', {
      name: 'Has phone',
      kind: 'rule',
      definition: { kind: 'identifier', identifierType: 'phone', has: true },
    })
    expect(rule.statusCode, rule.body).toBe(201)
    await settle(s.t.ctx)
    const before =
      ((await s.owner.get('/api/v1/tags')).json().items as Array<{ name: string; size: number }>).find((t) => t.name === 'Has phone')
        ?.size ?? 0
    await identify({ userId: 'phone-2', traits: { phone: '13800002222' } })
    await settle(s.t.ctx)
    expect(
      ((await s.owner.get('/api/v1/tags')).json().items as Array<{ name: string; size: number }>).find((t) => t.name === 'Has phone')?.size,
    ).toBe(before + 1)
    expect(
      (await s.owner.post(`/api/v1/tags/${rule.json().id}/profiles`, { action: 'add', profileIds: [await profileOf('phone-2')] })).json()
        .error.code,
    ).toBe('WRONG_SEGMENT_KIND')
  })

  it("takes a CSV's worth of identifiers: past the 65,535 parameters of one query, and in parts that replace then append", async () => {
    for (const userId of ['csv-1', 'csv-2', 'csv-3']) await identify({ userId, traits: {} })
    // Two known ids and 149,998 unknown ones: more values than a query takes parameters, in a body
    // over the default limit (1 MiB) that these routes take.
    const file = ['csv-1', 'csv-2', ...Array.from({ length: 149_998 }, (_, i) => `n${i}`)]
    expect(JSON.stringify(file).length).toBeGreaterThan(1024 * 1024)
    const tag = (await s.owner.post('/api/v1/tags', { name: 'From a file', kind: 'manual' })).json()
    const tagged = await s.owner.post(`/api/v1/tags/${tag.id}/profiles`, { action: 'add', identifierType: 'user_id', values: file })
    expect(tagged.statusCode, tagged.body).toBe(200)
    expect(tagged.json()).toEqual({ changed: 2, unknown: 149_998, size: 2 })

    // The console sends a file longer than one request in parts: the first replaces, the others append.
    const id = (await s.owner.post('/api/v1/segments', { name: 'From a file', kind: 'static' })).json().id as string
    await s.owner.post(`/api/v1/segments/${id}/members`, { mode: 'append', identifierType: 'user_id', values: ['csv-3'] })
    const first = await s.owner.post(`/api/v1/segments/${id}/members`, {
      mode: 'replace',
      identifierType: 'user_id',
      values: file.slice(0, 35_000),
    })
    expect(first.json()).toEqual({ size: 2, entered: 2, exited: 1, unknown: 34_998 })
    const rest = await s.owner.post(`/api/v1/segments/${id}/members`, {
      mode: 'append',
      identifierType: 'user_id',
      values: file.slice(35_000),
    })
    expect(rest.json()).toEqual({ size: 2, entered: 0, exited: 0, unknown: 115_000 })
    expect(await memberIds(id)).toEqual([await profileOf('csv-1'), await profileOf('csv-2')].sort())
  })

  it('catches up events that committed after a full computation read the log, even if the consumer passed them first', async () => {
    const pending = (
      await s.owner.post('/api/v1/segments', {
        name: 'Redeemed a coupon',
        kind: 'dynamic',
        definition: {
          kind: 'event',
          event: 'Coupon Redeemed',
          filters: [],
          window: { type: 'ever' },
          aggregate: 'count',
          comparison: 'gte',
          value: 1,
        },
      })
    ).json().id as string
    // As if the full computation read the log here…
    const before = await currentLogMark(s.t.ctx.db)
    // …then an event arrives and the consumer reads it while the segment is not live yet.
    await track({ userId: 'late-1', event: 'Coupon Redeemed', properties: { coupon: 'WELCOME20' } })
    await drainLog(s.t.ctx)
    await s.t.ctx.db
      .updateTable('segments')
      .set({ computed_at: clock().now(), computed_snapshot: before })
      .where('id', '=', pending)
      .execute()
    await drainLog(s.t.ctx)
    expect(await memberIds(pending)).toEqual([await profileOf('late-1')])
    expect(
      (await s.t.ctx.db.selectFrom('segments').select('computed_snapshot').where('id', '=', pending).executeTakeFirstOrThrow())
        .computed_snapshot,
    ).toBeNull()
    await s.owner.delete(`/api/v1/segments/${pending}`)
  })

  it('runs every due job and leaves none dead', async () => {
    await runDueJobs(s.t.ctx)
    const dead = await s.t.ctx.db.selectFrom('jobs').select(['queue', 'last_error']).where('state', '=', 'dead').execute()
    expect(dead).toEqual([])
  })
})
