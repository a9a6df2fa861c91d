import type { ManualClock, SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { drainLog, settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

/** Changes that are not tracked events still move audiences: merges by hand, new profiles, erasure. */
describe('audiences after changes other than events', () => {
  const s = withOwnerApp()
  let writeKey: string
  const clock = () => s.t.ctx.clock as ManualClock
  const call = (type: 'track' | 'identify', body: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${type}`,
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { timestamp: clock().now().toISOString(), ...body },
    })
  const profileOf = async (type: string, value: string) =>
    (await s.owner.get(`/api/v1/profiles/by-identifier/${type}/${value}`)).json().id as string
  const memberIds = async (segmentId: string) =>
    ((await s.owner.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ id: string }>).map((m) => m.id).sort()
  const sizeOf = async (segmentId: string) => (await s.owner.get(`/api/v1/segments/${segmentId}`)).json().size as number
  const create = async (name: string, definition: SegmentNode) => {
    const res = await s.owner.post('/api/v1/segments', { name, kind: 'dynamic', definition })
    expect(res.statusCode, res.body).toBe(201)
    await settle(s.t.ctx)
    return res.json().id as string
  }
  const washes = (n: number): SegmentNode => ({
    kind: 'event',
    event: 'Service Completed',
    filters: [],
    window: { type: 'last', amount: 30, unit: 'days' },
    aggregate: 'count',
    comparison: 'gte',
    value: n,
  })

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
  })

  it('a merge by hand moves both profiles: the survivor enters what the combined events satisfy, the merged one leaves', async () => {
    await call('track', { userId: 'merge-a', event: 'Service Completed' })
    await call('track', { userId: 'merge-a', event: 'Service Completed' })
    await call('track', { anonymousId: 'merge-b-device', event: 'Service Completed' })
    const three = await create('Washed 3+ times in 30 days', washes(3))
    const one = await create('Washed in 30 days', washes(1))
    const a = await profileOf('user_id', 'merge-a')
    const b = await profileOf('anonymous_id', 'merge-b-device')
    expect(await memberIds(three)).toEqual([])
    expect(await memberIds(one)).toEqual([a, b].sort())
    const tag = (await s.owner.post('/api/v1/tags', { name: 'Called back', kind: 'manual' })).json().id as string
    expect((await s.owner.post(`/api/v1/tags/${tag}/profiles`, { action: 'add', profileIds: [b] })).statusCode).toBe(200)

    const merged = await s.owner.post(`/api/v1/profiles/${b}/merge`, { intoProfileId: a })
    expect(merged.statusCode, merged.body).toBe(200)
    // One poll of the consumer, no full computation.
    await drainLog(s.t.ctx)
    expect(await memberIds(three)).toEqual([a])
    expect(await memberIds(one)).toEqual([a])
    expect(await sizeOf(one)).toBe(1)
    expect(await sizeOf(three)).toBe(1)
    // What the merged profile held by hand is the survivor's now.
    const tags = (await s.owner.get('/api/v1/tags')).json().items as Array<{ id: string; size: number }>
    expect(tags.find((t) => t.id === tag)?.size).toBe(1)
    expect((await s.owner.get(`/api/v1/profiles/${a}/audiences`)).json().tags.map((t: { id: string }) => t.id)).toEqual([tag])
    // The merge is on the survivor's timeline.
    const timeline = (await s.owner.get(`/api/v1/profiles/${a}/timeline`)).json().items as Array<{
      name: string
      properties: Record<string, unknown>
    }>
    expect(timeline.find((e) => e.name === 'Profiles Merged')?.properties).toEqual({ merged_profile_id: b, by: 'hand' })
  })

  it("after a merge a customer still holds one tag of an exclusive group: their own, else the merged profile's", async () => {
    const group = (await s.owner.post('/api/v1/tag-groups', { name: 'Lifecycle', exclusive: true })).json().id as string
    const tag = async (name: string) => (await s.owner.post('/api/v1/tags', { name, kind: 'manual', groupId: group })).json().id as string
    const [loyal, lapsed] = [await tag('Loyal'), await tag('Lapsed')]
    for (const who of ['excl-a', 'excl-c']) await call('track', { userId: who, event: 'Page Viewed' })
    for (const device of ['excl-b-device', 'excl-d-device']) await call('track', { anonymousId: device, event: 'Page Viewed' })
    await drainLog(s.t.ctx)
    const [a, b, c, d] = [
      await profileOf('user_id', 'excl-a'),
      await profileOf('anonymous_id', 'excl-b-device'),
      await profileOf('user_id', 'excl-c'),
      await profileOf('anonymous_id', 'excl-d-device'),
    ]
    const give = async (tagId: string, ids: string[]) =>
      expect((await s.owner.post(`/api/v1/tags/${tagId}/profiles`, { action: 'add', profileIds: ids })).statusCode).toBe(200)
    await give(loyal, [a])
    await give(lapsed, [b, d])
    // a (Loyal) absorbs b (Lapsed): a stays Loyal. c (no tag of the group) absorbs d (Lapsed): c becomes Lapsed.
    expect((await s.owner.post(`/api/v1/profiles/${b}/merge`, { intoProfileId: a })).statusCode).toBe(200)
    expect((await s.owner.post(`/api/v1/profiles/${d}/merge`, { intoProfileId: c })).statusCode).toBe(200)
    await drainLog(s.t.ctx)
    const tagsOf = async (id: string) =>
      ((await s.owner.get(`/api/v1/profiles/${id}/audiences`)).json().tags as Array<{ id: string }>)
        .map((t) => t.id)
        .filter((t) => t === loyal || t === lapsed)
    expect(await tagsOf(a)).toEqual([loyal])
    expect(await tagsOf(c)).toEqual([lapsed])
    const sizes = new Map(
      ((await s.owner.get('/api/v1/tags')).json().items as Array<{ id: string; size: number }>).map((t) => [t.id, t.size]),
    )
    expect([sizes.get(loyal), sizes.get(lapsed)]).toEqual([1, 1])
  })

  it('a visitor created by one track call enters the audiences an empty profile is in', async () => {
    const noEmail = await create('No email', { kind: 'trait', trait: 'email', type: 'string', op: 'not_exists' })
    // Email is an opt-out group: a new profile is reachable until they unsubscribe.
    const email = await create('Email subscribed', { kind: 'subscription', group: 'marketing_email', state: 'subscribed' })
    const neverOrdered = await create('Never ordered', {
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'ever' },
      aggregate: 'count',
      comparison: 'eq',
      value: 0,
    })
    const notChongqing = await create('Not in Chongqing', {
      kind: 'not',
      child: { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' },
    })
    const hasEmail = await create('Has email', { kind: 'trait', trait: 'email', type: 'string', op: 'exists' })

    await call('track', { anonymousId: 'new-visitor', event: 'Page Viewed' })
    await call('identify', { userId: 'new-member', traits: { email: 'new@example.com', city: '重庆' } })
    await drainLog(s.t.ctx)
    const visitor = await profileOf('anonymous_id', 'new-visitor')
    const member = await profileOf('user_id', 'new-member')
    for (const segment of [noEmail, email, neverOrdered, notChongqing]) expect(await memberIds(segment)).toContain(visitor)
    expect(await memberIds(hasEmail)).not.toContain(visitor)
    // Created by identify: has an email and lives in Chongqing, but has never ordered.
    expect(await memberIds(neverOrdered)).toContain(member)
    expect(await memberIds(email)).toContain(member)
    expect(await memberIds(noEmail)).not.toContain(member)
    expect(await memberIds(notChongqing)).not.toContain(member)
    expect(await memberIds(hasEmail)).toContain(member)
    const timeline = (await s.owner.get(`/api/v1/profiles/${visitor}/timeline`)).json().items as Array<{ name: string }>
    expect(timeline.map((e) => e.name)).toContain('Profile Created')
  })

  it('erasing a customer takes them out of segments and tags, and their sizes', async () => {
    await call('track', { userId: 'erase-me', event: 'Service Completed' })
    const one = await create('Washed recently', washes(1))
    await drainLog(s.t.ctx)
    const id = await profileOf('user_id', 'erase-me')
    const tag = (await s.owner.post('/api/v1/tags', { name: 'To erase', kind: 'manual' })).json().id as string
    await s.owner.post(`/api/v1/tags/${tag}/profiles`, { action: 'add', profileIds: [id] })
    const before = await sizeOf(one)
    expect(await memberIds(one)).toContain(id)
    expect((await s.owner.request({ method: 'DELETE', url: `/api/v1/profiles/${id}` })).statusCode).toBe(200)
    await drainLog(s.t.ctx)
    expect(await memberIds(one)).not.toContain(id)
    expect(await sizeOf(one)).toBe(before - 1)
    const tags = (await s.owner.get('/api/v1/tags')).json().items as Array<{ id: string; size: number }>
    expect(tags.find((t) => t.id === tag)?.size).toBe(0)
  })
})
