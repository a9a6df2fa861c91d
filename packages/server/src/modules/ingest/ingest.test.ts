import { gzipSync } from 'node:zlib'
import { Analytics } from '@segment/analytics-node'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ManualClock, TimelineEvent } from '@reachloop/domain'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'
import { pruneMessageIds } from '../../platform/event-log/message-ids.js'

describe('tracking API (Segment-compatible)', () => {
  const s = withOwnerApp()
  let writeKey: string
  let sourceId: string
  const basic = () => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  const send = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${path}`,
      headers: { authorization: basic(), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    })
  const profileBy = async (type: string, value: string) =>
    s.owner.get(`/api/v1/profiles/by-identifier/${type}/${encodeURIComponent(value)}`)
  const timelineOf = async (id: string) => (await s.owner.get(`/api/v1/profiles/${id}/timeline`)).json().items as TimelineEvent[]
  const count = async (table: 'events' | 'quarantine' | 'profiles') =>
    (
      await s.t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n

  beforeAll(async () => {
    const res = await s.owner.post('/api/v1/sources', { name: 'Mini program', kind: 'mini_program' })
    expect(res.statusCode).toBe(201)
    writeKey = res.json().writeKey
    sourceId = res.json().id
  })

  it('takes identify and track calls from the official @segment/analytics-node SDK onto one profile, without duplicates', async () => {
    await s.t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = s.t.app.server.address()
    const host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const analytics = new Analytics({ writeKey, host, flushAt: 2, maxRetries: 0 })
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    analytics.identify({ userId: 'sdk-user-1', traits: { name: 'Wang Fang', phone: '13800138001', email: 'Wang.Fang@Example.com' } })
    analytics.track({ userId: 'sdk-user-1', event: 'Order Completed', properties: { order_id: 'o-1', total: 12_800, currency: 'CNY' } })
    analytics.track({ userId: 'sdk-user-1', event: 'Product Viewed', properties: { product_id: 'wash-basic' } })
    await analytics.closeAndFlush({ timeout: 10_000 })
    expect(errors).toEqual([])
    const profile = (await profileBy('phone', '+8613800138001')).json()
    expect(profile.traits).toMatchObject({ name: 'Wang Fang', phone: '13800138001' })
    expect(profile.identifiers.map((i: { type: string; value: string }) => `${i.type}=${i.value}`).sort()).toEqual([
      'email=wang.fang@example.com',
      'phone=+8613800138001',
      'user_id=sdk-user-1',
    ])
    const timeline = await timelineOf(profile.id)
    // The SDK's three calls, and the Profile Created the platform adds for a customer seen for the first time.
    expect(timeline.map((e) => e.name ?? e.type).sort()).toEqual(['Order Completed', 'Product Viewed', 'Profile Created', 'identify'])
    // The same messages again (an SDK retry) add nothing.
    const again = await send('track', {
      userId: 'sdk-user-1',
      event: 'Order Completed',
      messageId: timeline.find((e) => e.name === 'Order Completed')?.messageId,
    })
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 })
    expect(await timelineOf(profile.id)).toHaveLength(4)
  })

  it('joins an anonymous visitor who later logs in and gives a phone into one profile with one timeline', async () => {
    await send('page', { anonymousId: 'anon-42', name: 'Membership', properties: { path: '/membership' } })
    await send('track', { anonymousId: 'anon-42', event: 'Product Added', properties: { product_id: 'annual-card' } })
    await send('identify', { anonymousId: 'anon-42', userId: 'member-42', traits: { phone: '+86 138 0000 0042' } })
    const profile = (await profileBy('phone', '13800000042')).json()
    expect((await profileBy('anonymous_id', 'anon-42')).json().id).toBe(profile.id)
    const timeline = await timelineOf(profile.id)
    // The visitor's own calls, newest first (all three carry the same time, so they come in the order they were sent).
    expect(timeline.filter((e) => e.sourceId !== null).map((e) => `${e.type}:${e.name ?? ''}`)).toEqual([
      'identify:',
      'track:Product Added',
      'page:Membership',
    ])
    // One profile, so one Profile Created: from no source, at the time of the visitor's first call.
    const page = timeline.find((e) => e.type === 'page')
    expect(timeline.filter((e) => e.sourceId === null)).toEqual([
      expect.objectContaining({ type: 'track', name: 'Profile Created', properties: {}, traits: {}, timestamp: page?.timestamp }),
    ])
  })

  it('keeps two customers who share a device but have different phones as two profiles', async () => {
    await send('identify', { anonymousId: 'kiosk-a', traits: { phone: '13800000101' }, context: { device: { id: 'store-tablet-1' } } })
    await send('identify', { anonymousId: 'kiosk-b', traits: { phone: '13800000102' }, context: { device: { id: 'store-tablet-1' } } })
    const first = (await profileBy('phone', '13800000101')).json()
    const second = (await profileBy('phone', '13800000102')).json()
    expect(first.id).not.toBe(second.id)
    const refusals = await s.t.ctx.db.selectFrom('identity_refusals').selectAll().where('identifier_value', '=', 'store-tablet-1').execute()
    expect(refusals).toHaveLength(1)
    expect(refusals[0]?.reason).toContain('phone')
  })

  it('merges two profiles when one event carries both, keeping the whole timeline and the merge history', async () => {
    await send('track', { anonymousId: 'phone-app-1', event: 'Signed Up' })
    await send('track', { userId: 'merge-user', event: 'Card Purchased' })
    await send('alias', { userId: 'merge-user', previousId: 'phone-app-1', anonymousId: 'phone-app-1' })
    const merged = (await profileBy('user_id', 'merge-user')).json()
    expect((await profileBy('anonymous_id', 'phone-app-1')).json().id).toBe(merged.id)
    expect(merged.merges).toHaveLength(1)
    const timeline = await timelineOf(merged.id)
    // Each profile was new when first seen, so each brought its Profile Created; the survivor then got a Profiles Merged.
    expect(timeline.map((e) => (e.type === 'track' ? e.name : e.type)).sort()).toEqual([
      'Card Purchased',
      'Profile Created',
      'Profile Created',
      'Profiles Merged',
      'Signed Up',
      'alias',
    ])
    expect(timeline.find((e) => e.name === 'Profiles Merged')).toMatchObject({
      type: 'track',
      sourceId: null,
      timestamp: merged.merges[0].mergedAt,
      properties: { merged_profile_id: merged.merges[0].fromProfileId, by: 'ingestion' },
    })
    // The merged-away id still leads to the survivor.
    expect((await s.owner.get(`/api/v1/profiles/${merged.merges[0].fromProfileId}`)).json().id).toBe(merged.id)
  })

  it('follows a chain of merges within one batch to the final survivor', async () => {
    await send('identify', { userId: 'chain-member', traits: { name: 'Member' }, timestamp: '2025-12-01T10:00:00Z' })
    const member = (await profileBy('user_id', 'chain-member')).json()
    await send('batch', {
      batch: [
        { type: 'track', anonymousId: 'chain-1', event: 'Store Visited', timestamp: '2026-01-01T10:00:00Z' },
        { type: 'track', anonymousId: 'chain-2', event: 'Store Visited', timestamp: '2026-01-01T10:01:00Z' },
        { type: 'identify', anonymousId: 'chain-2', traits: { email: 'chain@example.com' }, timestamp: '2026-01-01T10:02:00Z' },
        // Carries both anonymous profiles' identifiers: the second merges into the first…
        { type: 'identify', anonymousId: 'chain-1', traits: { email: 'chain@example.com' }, timestamp: '2026-01-01T10:03:00Z' },
        // …which then merges into the member, who was seen first.
        { type: 'identify', anonymousId: 'chain-1', userId: 'chain-member', timestamp: '2026-01-01T10:04:00Z' },
      ],
    })
    const forChain2 = (await profileBy('anonymous_id', 'chain-2')).json()
    expect(forChain2.id).toBe(member.id)
    const timeline = await timelineOf(member.id)
    // Six calls; the member's Profile Created (the two anonymous profiles were born and merged away in the
    // batch, so they bring none); and a Profiles Merged on the member for each of the two merges.
    expect(timeline).toHaveLength(9)
    expect(timeline.filter((e) => e.name === 'Profile Created')).toEqual([
      expect.objectContaining({ sourceId: null, timestamp: '2025-12-01T10:00:00.000Z' }),
    ])
    const mergedIds: string[] = forChain2.merges.map((m: { fromProfileId: string }) => m.fromProfileId)
    const mergeEvents = timeline.filter((e) => e.name === 'Profiles Merged').map((e) => e.properties)
    expect([mergeEvents.length, new Set(mergedIds).size]).toEqual([2, 2])
    expect(mergeEvents).toEqual(expect.arrayContaining(mergedIds.map((id) => ({ merged_profile_id: id, by: 'ingestion' }))))
    // Both are the member's own rows, not the anonymous profile's that the first merge went into.
    const holders = await s.t.ctx.db
      .selectFrom('events')
      .select('profile_id')
      .where('name', '=', 'Profiles Merged')
      .where('profile_id', 'in', [member.id, ...mergedIds])
      .execute()
    expect(holders).toEqual([{ profile_id: member.id }, { profile_id: member.id }])
    const stale = await s.t.ctx.db
      .selectFrom('profiles')
      .select('id')
      .where('merged_into', 'is not', null)
      .where('merged_into', '!=', member.id)
      .where(
        'id',
        'in',
        forChain2.merges.map((m: { fromProfileId: string }) => m.fromProfileId),
      )
      .execute()
    expect(stale).toEqual([])
  })

  it('stores the valid events of a batch, quarantines the invalid ones and lists each rejection', async () => {
    const before = await count('events')
    const res = await send('batch', {
      batch: [
        { type: 'track', userId: 'batch-user', event: 'Wash Completed', messageId: 'b-1' },
        { type: 'track', userId: 'batch-user', messageId: 'b-2' },
        { type: 'identify', messageId: 'b-3', traits: { name: 'nobody' } },
        { type: 'track', anonymousId: 'batch-anon', event: 'Wash Completed', messageId: 'b-4', properties: { big: 'x'.repeat(40_000) } },
        { type: 'screen', anonymousId: 'batch-anon', name: 'Home', messageId: 'b-5' },
      ],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().accepted).toBe(2)
    expect(res.json().rejected).toEqual([
      { index: 1, messageId: 'b-2', code: 'INVALID_EVENT', reason: 'event is required for a track call', field: 'event' },
      { index: 2, messageId: 'b-3', code: 'INVALID_EVENT', reason: 'userId or anonymousId is required', field: 'userId' },
      { index: 3, messageId: 'b-4', code: 'EVENT_TOO_LARGE', reason: 'the event is over 32 KB', field: null },
    ])
    // The two valid events, and a Profile Created for each of their customers (batch-user and batch-anon are new).
    expect((await count('events')) - before).toBe(4)
    const quarantine = (await s.owner.get('/api/v1/quarantine')).json().items
    expect(quarantine.slice(0, 3).map((q: { code: string }) => q.code)).toEqual(['EVENT_TOO_LARGE', 'INVALID_EVENT', 'INVALID_EVENT'])
    expect(quarantine[2].payload).toMatchObject({ messageId: 'b-2' })
    expect(
      quarantine.slice(0, 3).map((q: { index: number; field: string | null; requestId: string }) => [q.index, q.field, q.requestId]),
    ).toEqual([
      [3, null, res.headers['x-request-id']],
      [2, 'userId', res.headers['x-request-id']],
      [1, 'event', res.headers['x-request-id']],
    ])
  })

  it('refuses malformed JSON (400), an unknown write key (401) and a request over the limit (413), storing nothing', async () => {
    const before = [await count('events'), await count('quarantine')]
    const malformed = await send('track', '{"userId": "x", "event": ')
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'INVALID_JSON'])
    const unknown = await s.t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from('wk_nope:').toString('base64')}` },
      payload: { userId: 'x', event: 'E' },
    })
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([401, 'INVALID_WRITE_KEY'])
    const huge = await send('batch', {
      batch: Array.from({ length: 40 }, (_, i) => ({
        type: 'track',
        userId: 'u',
        event: 'E',
        properties: { pad: 'x'.repeat(15_000) },
        messageId: `huge-${i}`,
      })),
    })
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    expect([await count('events'), await count('quarantine')]).toEqual(before)
  })

  it('accepts a gzip body and the write key in the body', async () => {
    const body = gzipSync(JSON.stringify({ writeKey, userId: 'gzip-user', event: 'Coupon Redeemed' }))
    const res = await s.t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: body,
    })
    expect(res.statusCode).toBe(200)
    expect((await profileBy('user_id', 'gzip-user')).statusCode).toBe(200)
  })

  it('corrects a device clock that is wrong, using sentAt, and merges a batch context into each event', async () => {
    const receivedAt = s.t.clock.now()
    // The device clock runs one hour fast: it stamped the event 10 s before sending it.
    const deviceNow = new Date(receivedAt.getTime() + 3_600_000)
    await send('batch', {
      context: { app: { name: 'CarWash' } },
      batch: [
        {
          type: 'track',
          userId: 'skewed',
          event: 'Wash Completed',
          timestamp: new Date(deviceNow.getTime() - 10_000).toISOString(),
          sentAt: deviceNow.toISOString(),
          context: { locale: 'zh-CN' },
        },
      ],
    })
    const [event] = await s.t.ctx.db
      .selectFrom('events')
      .select(['timestamp', 'received_at', 'context'])
      .where('user_id', '=', 'skewed')
      .execute()
    expect(event?.timestamp.getTime()).toBe(receivedAt.getTime() - 10_000)
    expect(event?.context).toEqual({ app: { name: 'CarWash' }, locale: 'zh-CN' })
  })

  it('stops taking the old write key at once when the key is rotated', async () => {
    expect((await send('track', { userId: 'rotation', event: 'Before' })).statusCode).toBe(200)
    const rotated = await s.owner.post(`/api/v1/sources/${sourceId}/rotate-key`)
    expect(rotated.statusCode).toBe(200)
    const old = await send('track', { userId: 'rotation', event: 'After' })
    expect([old.statusCode, old.json().error.code]).toEqual([401, 'INVALID_WRITE_KEY'])
    writeKey = rotated.json().writeKey
    expect((await send('track', { userId: 'rotation', event: 'After' })).statusCode).toBe(200)
  })

  it('masks phones and emails for roles without the pii.read permission', async () => {
    await s.owner.post('/api/v1/users', { email: 'ana@example.com', name: 'Ana', role: 'analyst', password: 'password-123' })
    const analyst = await signIn(s.t.app, 'ana@example.com', 'password-123')
    const profile = (await analyst.get('/api/v1/profiles/by-identifier/user_id/sdk-user-1')).json()
    expect(profile.traits.phone).toBe('138****8001')
    expect(profile.identifiers.find((i: { type: string }) => i.type === 'email').value).toBe('w***@example.com')
    expect(JSON.stringify(profile)).not.toContain('13800138001')
  })

  it('lists profiles most recently seen first, pages with a cursor, and finds one by phone', async () => {
    const first = (await s.owner.get('/api/v1/profiles?limit=3')).json()
    expect(first.items).toHaveLength(3)
    const second = (await s.owner.get(`/api/v1/profiles?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`)).json()
    const seen = [...first.items, ...second.items].map((p: { lastSeenAt: string }) => p.lastSeenAt)
    expect(seen).toEqual([...seen].sort().reverse())
    const found = (await s.owner.get('/api/v1/profiles?search=13800000042')).json().items
    expect(found).toHaveLength(1)
    expect(sourceId).toBeTruthy()
  })

  it('remembers messageIds for the retention, then forgets them in the hourly maintenance job', async () => {
    const clock = s.t.ctx.clock as ManualClock
    expect((await send('track', { userId: 'retention-1', event: 'Signed Up', messageId: 'keep-30-days' })).json()).toMatchObject({
      accepted: 1,
    })
    clock.advance(29 * 86_400_000)
    expect(await pruneMessageIds(s.t.ctx, 2)).toBe(0)
    expect((await send('track', { userId: 'retention-1', event: 'Signed Up', messageId: 'keep-30-days' })).json()).toMatchObject({
      accepted: 0,
      duplicates: 1,
    })
    const before = await s.t.ctx.db.selectFrom('event_message_ids').select('message_id').where('source_id', '=', sourceId).execute()
    clock.advance(2 * 86_400_000)
    // Every messageId above is now past 30 days; removed in chunks of 2.
    expect(await pruneMessageIds(s.t.ctx, 2)).toBe(before.length)
    expect(await s.t.ctx.db.selectFrom('event_message_ids').select('message_id').execute()).toEqual([])
  })
})

describe('tracking API rate limit', () => {
  it('answers 429 RATE_LIMITED past the limit per write key, while another key goes on', async () => {
    const { createTestApp, setupOwner } = await import('../../test-support/test-app.js')
    const t = await createTestApp({ ingestRateLimit: 3 })
    try {
      const owner = await setupOwner(t.app)
      const keys = await Promise.all(
        ['a', 'b'].map(async (name) => (await owner.post('/api/v1/sources', { name, kind: 'server' })).json().writeKey as string),
      )
      const send = (key: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/track',
          headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
          payload: { userId: 'u', event: 'E' },
        })
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push((await send(keys[0]!)).statusCode)
      expect(statuses).toEqual([200, 200, 200, 429])
      expect((await send(keys[0]!)).json().error.code).toBe('RATE_LIMITED')
      expect((await send(keys[1]!)).statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })
})
