import { deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, setupOwner, withOwnerApp, type TestApp } from '../../test-support/test-app.js'
import { forgetSource } from './source-cache.js'

type Rejected = { index: number; code: string; field: string | null; reason: string }
type Quarantined = { index: number | null; field: string | null; requestId: string | null; payload: Record<string, unknown> }

describe('tracking API: bad values are refused alone', () => {
  const s = withOwnerApp()
  let writeKey: string
  const basic = () => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  const post = (path: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${path}`,
      headers: { authorization: basic(), 'content-type': 'application/json', ...headers },
      payload,
    })
  const eventsOf = async (userId: string) =>
    s.t.ctx.db.selectFrom('events').select(['name', 'properties']).where('user_id', '=', userId).execute()
  const quarantineOf = async (requestId: string) =>
    (await s.owner.get('/api/v1/quarantine?limit=100')).json().items.filter((q: Quarantined) => q.requestId === requestId) as Quarantined[]

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'Shop site', kind: 'web' })).json().writeKey
  })

  // Each is written as raw JSON text, since JavaScript cannot build some of them as values the way a client sends them.
  const deepObjects = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`
  const deepArrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
  const hostile: Array<{ what: string; json: string; field: string }> = [
    {
      what: 'a NUL in a value',
      json: '{"type":"track","userId":"h","event":"Bad","properties":{"note":"a\\u0000b"}}',
      field: 'properties.note',
    },
    {
      what: 'a NUL in a key',
      json: '{"type":"track","userId":"h","event":"Bad","properties":{"no\\u0000te":1}}',
      field: 'properties["no\ufffdte"]',
    },
    {
      what: 'a lone surrogate',
      json: '{"type":"track","userId":"h","event":"Bad","properties":{"items":[{"name":"\\ud800"}]}}',
      field: 'properties.items[0].name',
    },
    {
      what: 'a year-0000 timestamp',
      json: '{"type":"track","userId":"h","event":"Bad","timestamp":"0000-01-01T00:00:00Z"}',
      field: 'timestamp',
    },
    {
      what: 'a year-275000 timestamp',
      json: '{"type":"track","userId":"h","event":"Bad","timestamp":"+275000-01-01T00:00:00Z"}',
      field: 'timestamp',
    },
    {
      what: 'a sentAt that corrects the time out of range',
      json: '{"type":"track","userId":"h","event":"Bad","timestamp":"0001-01-01T00:00:00Z","sentAt":"9999-01-01T00:00:00Z"}',
      field: 'sentAt',
    },
    {
      what: 'a messageId over 2,000 bytes',
      json: JSON.stringify({ type: 'track', userId: 'h', event: 'Bad', messageId: 'm'.repeat(3000) }),
      field: 'messageId',
    },
    {
      what: '20,000 nested objects',
      json: `{"type":"track","userId":"h","event":"Bad","properties":${deepObjects}}`,
      field: `properties${'.a'.repeat(63)}`,
    },
    {
      what: '100,000 nested arrays',
      json: `{"type":"track","userId":"h","event":"Bad","properties":{"x":${deepArrays}}}`,
      field: `properties.x${'[0]'.repeat(62)}`,
    },
    {
      what: 'a __proto__ key',
      json: '{"type":"track","userId":"h","event":"Bad","properties":{"__proto__":{"admin":true}}}',
      field: 'properties.__proto__',
    },
    {
      what: 'a constructor key holding prototype',
      json: '{"type":"track","userId":"h","event":"Bad","traits":{"constructor":{"prototype":{"admin":true}}}}',
      field: 'traits.constructor',
    },
  ]

  for (const [n, { what, json, field }] of hostile.entries()) {
    it(`stores the valid events beside ${what}, and quarantines that one with its index and field`, async () => {
      const userId = `beside-${n}`
      const body = `{"writeKey":"${writeKey}","batch":[{"type":"track","userId":"${userId}","event":"Before"},${json},{"type":"track","userId":"${userId}","event":"After"}]}`
      const res = await post('batch', body)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().accepted).toBe(2)
      expect(res.json().rejected.map((r: Rejected) => [r.index, r.code, r.field])).toEqual([[1, 'INVALID_EVENT', field]])
      expect((await eventsOf(userId)).map((e) => e.name).sort()).toEqual(['After', 'Before'])
      const [kept] = await quarantineOf(res.headers['x-request-id'] as string)
      expect(kept).toMatchObject({ index: 1, field })
      // Kept without the write key and storable whatever it held.
      expect(JSON.stringify(kept?.payload)).not.toContain(writeKey)
      expect(kept?.payload).toMatchObject({ type: 'track', event: 'Bad' })
    })
  }

  it('refuses, alone, a track call named as an event Reachloop records itself (a forged "Segment Entered")', async () => {
    const body = JSON.stringify({
      writeKey,
      batch: [
        { type: 'track', userId: 'forger', event: 'Before' },
        { type: 'track', userId: 'forger', event: 'Segment Entered', properties: { segment_id: 's-1', segment_name: 'VIP' } },
        { type: 'track', userId: 'forger', event: 'Profiles Merged' },
      ],
    })
    const res = await post('batch', body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().accepted).toBe(1)
    expect(res.json().rejected.map((r: Rejected) => [r.index, r.code, r.field, r.reason])).toEqual([
      [1, 'INVALID_EVENT', 'event', '"Segment Entered" is an event Reachloop records itself; send yours under another name'],
      [2, 'INVALID_EVENT', 'event', '"Profiles Merged" is an event Reachloop records itself; send yours under another name'],
    ])
    expect((await eventsOf('forger')).map((e) => e.name)).toEqual(['Before'])
  })

  it('keeps what was stored before: a plain constructor or prototype property, nesting of 64 levels, a 2,000-byte messageId', async () => {
    const deep = `${'{"a":'.repeat(62)}1${'}'.repeat(62)}`
    const res = await post(
      'batch',
      `{"batch":[{"type":"track","userId":"kept","event":"Kept","messageId":"${'k'.repeat(2000)}","properties":{"constructor":"Bosch","prototype":"v2","deep":${deep}}}]}`,
    )
    expect(res.json()).toMatchObject({ accepted: 1, rejected: [] })
    const [event] = await eventsOf('kept')
    expect(event?.properties).toMatchObject({ constructor: 'Bosch', prototype: 'v2' })
  })

  it('refuses a single call with a bad value as 400 with the field, and quarantines it', async () => {
    const res = await post('t', '{"userId":"single-bad","event":"Bad","properties":{"x":"\\u0000"}}')
    expect([res.statusCode, res.json().error.code, res.json().error.details.rejected[0].field]).toEqual([
      400,
      'INVALID_EVENT',
      'properties.x',
    ])
    expect(await quarantineOf(res.headers['x-request-id'] as string)).toHaveLength(1)
  })

  it('answers 400 INVALID_BODY_ENCODING to a body that is not the gzip it claims, or is cut short, and stores nothing', async () => {
    const before = (await s.owner.get('/api/v1/quarantine?limit=100')).json().items.length
    const whole = gzipSync(JSON.stringify({ userId: 'gz-bad', event: 'E' }))
    for (const payload of [Buffer.from('not gzip at all'), whole.subarray(0, whole.length - 6)]) {
      const res = await post('track', payload, { 'content-encoding': 'gzip' })
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'INVALID_BODY_ENCODING'])
    }
    const unknown = await post('track', 'x', { 'content-encoding': 'zstd-9000' })
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'INVALID_BODY_ENCODING'])
    expect(await eventsOf('gz-bad')).toEqual([])
    expect((await s.owner.get('/api/v1/quarantine?limit=100')).json().items.length).toBe(before)
  })

  it('reads a JSON body whatever its content type, and takes deflate too', async () => {
    const call = (event: string) => JSON.stringify({ userId: 'any-type', event })
    const sends = [
      post('track', call('As text/plain'), { 'content-type': 'text/plain' }),
      post('track', call('As form-urlencoded'), { 'content-type': 'application/x-www-form-urlencoded' }),
      s.t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basic() }, payload: call('With no content type') }),
      post('track', deflateSync(call('Deflated')), { 'content-encoding': 'deflate', 'content-type': 'text/plain;charset=UTF-8' }),
      s.t.app.inject({
        method: 'POST',
        url: '/v1/track',
        headers: { authorization: basic(), 'content-encoding': 'gzip' },
        payload: gzipSync(call('Gzipped with no content type')),
      }),
    ]
    for (const res of await Promise.all(sends)) expect(res.statusCode, res.body).toBe(200)
    expect((await eventsOf('any-type')).map((e) => e.name).sort()).toEqual([
      'As form-urlencoded',
      'As text/plain',
      'Deflated',
      'Gzipped with no content type',
      'With no content type',
    ])
  })

  it('answers 400 INVALID_JSON, never 500, to bodies that are not JSON', async () => {
    for (const body of ['', '{"userId":', 'undefined', '\u0000']) {
      const res = await post('batch', body, { 'content-type': 'text/plain' })
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'INVALID_JSON'])
    }
  })

  it("takes the browser SDK's short paths and /v1/b batches", async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['t', { event: 'Short Track' }],
      ['p', { name: 'Home' }],
      ['i', { traits: { city: '重庆' } }],
      ['s', { name: 'Splash' }],
      ['g', { groupId: 'store-9' }],
      ['a', { previousId: 'short-anon' }],
    ]
    for (const [path, body] of calls) {
      const res = await post(path, JSON.stringify({ userId: 'short-paths', writeKey, ...body }), { 'content-type': 'text/plain' })
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200)
    }
    const batch = await post('b', JSON.stringify({ writeKey, batch: [{ type: 'track', userId: 'short-paths', event: 'Batched' }] }), {
      'content-type': 'text/plain',
    })
    expect(batch.json().accepted).toBe(1)
    const types = await s.t.ctx.db.selectFrom('events').select('type').where('user_id', '=', 'short-paths').execute()
    expect(types.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track', 'track'])
    const unknown = await post('x', '{}')
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'ROUTE_NOT_FOUND'])
  })
})

describe('tracking API: CORS and origins', () => {
  const s = withOwnerApp()
  let source: { id: string; writeKey: string }
  const fromPage = (origin: string, userId: string) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { origin, 'content-type': 'text/plain' },
      payload: JSON.stringify({ writeKey: source.writeKey, userId, event: 'From Page' }),
    })

  beforeAll(async () => {
    source = (await s.owner.post('/api/v1/sources', { name: 'Web', kind: 'web' })).json()
  })

  it('answers a preflight from any origin with the methods and headers the SDK sends', async () => {
    const res = await s.t.app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-retry-count,x-future-sdk',
      },
    })
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example.com')
    for (const header of ['authorization', 'x-retry-count', 'x-future-sdk'])
      expect(String(res.headers['access-control-allow-headers'])).toContain(header)
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST')
  })

  it('lets any origin send while the source names none, and lets the page read the answer', async () => {
    const res = await fromPage('https://anywhere.example.com', 'cors-any')
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe('https://anywhere.example.com')
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
  })

  it('refuses a page on an origin the source does not list, storing nothing, and takes a listed one', async () => {
    await s.t.ctx.db
      .updateTable('sources')
      .set({ allowed_origins: JSON.stringify(['https://shop.example.com']) })
      .where('id', '=', source.id)
      .execute()
    forgetSource(s.t.ctx)
    const refused = await fromPage('https://evil.example.net', 'cors-evil')
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED'])
    // Readable, so the browser SDK drops the event instead of retrying it as if the network failed.
    expect(refused.headers['access-control-allow-origin']).toBe('https://evil.example.net')
    const allowed = await fromPage('https://SHOP.example.com', 'cors-shop')
    expect(allowed.statusCode).toBe(200)
    const stored = await s.t.ctx.db.selectFrom('events').select('user_id').where('user_id', 'in', ['cors-evil', 'cors-shop']).execute()
    expect(stored.map((e) => e.user_id)).toEqual(['cors-shop'])
  })
})

describe('tracking API: rate limits count per source', () => {
  let t: TestApp
  let writeKey: string
  beforeAll(async () => {
    t = await createTestApp({ ingestRateLimit: 3 })
    const owner = await setupOwner(t.app)
    writeKey = (await owner.post('/api/v1/sources', { name: 'Server', kind: 'server' })).json().writeKey
  })
  afterAll(() => t.close())

  it('counts the resolved write key, however its Basic password part or the body carries it', async () => {
    const statuses: number[] = []
    for (const [i, password] of ['', 'x', 'y', 'z', 'w'].entries()) {
      const viaBody = i % 2 === 1
      const res = await t.app.inject({
        method: 'POST',
        url: i === 3 ? '/v1/t' : '/v1/track',
        headers: {
          'content-type': 'application/json',
          ...(viaBody ? {} : { authorization: `Basic ${Buffer.from(`${writeKey}:${password}`).toString('base64')}` }),
        },
        // Each from another address: the body key is counted per source, not per client IP.
        remoteAddress: `10.0.0.${i + 1}`,
        payload: JSON.stringify({ userId: 'limited', event: 'E', ...(viaBody ? { writeKey } : {}) }),
      })
      statuses.push(res.statusCode)
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429])
  })
})
