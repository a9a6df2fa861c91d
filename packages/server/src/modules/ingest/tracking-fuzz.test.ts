import { deflateSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { propertySeed } from '../../test-support/property-seed.js'
import { withOwnerApp } from '../../test-support/test-app.js'

/**
 * Property-based fuzz of the tracking API: batches mixing valid events with every kind of value
 * that cannot be stored, sent every way real SDKs send them, and bodies that cannot be read at all.
 * The seed changes every run and is printed; `PROPERTY_SEED=<n>` replays one, `PROPERTY_RUNS=<n>` sizes the run.
 */
const { seed: SEED, numRuns: RUNS } = propertySeed('tracking fuzz', 100)

/** One event of a batch, as JSON text (some hostile ones cannot be built as JavaScript values and stringified). */
interface Sent {
  text: string
  valid: boolean
  messageId: string | null
}

const FORBIDDEN = new Set(['__proto__', 'constructor'])
const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((k) => !FORBIDDEN.has(k))
// Full Unicode text (Chinese, emoji) but well formed; ASCII names and values too.
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('重庆', '上海', '洗车 🚗', ''),
)
const leaf = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))
const jsonish = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value
const properties = fc.dictionary(key, jsonish, { maxKeys: 6 })
const time = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString())
const who = fc.oneof(
  fc.record({ userId: fc.integer({ min: 1, max: 30 }).map((n) => `fz-user-${n}`) }),
  fc.record({ anonymousId: fc.integer({ min: 1, max: 60 }).map((n) => `fz-anon-${n}`) }),
  fc.record({
    userId: fc.integer({ min: 1, max: 30 }).map((n) => `fz-user-${n}`),
    anonymousId: fc.integer({ min: 1, max: 60 }).map((n) => `fz-anon-${n}`),
  }),
)
const validCall = fc.oneof(
  fc.record({ type: fc.constant('track'), event: fc.constantFrom('Order Completed', 'Product Viewed', '洗车完成'), properties }),
  fc.record({
    type: fc.constant('identify'),
    traits: fc.record({ name: text, city: fc.constantFrom('重庆', '成都') }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constantFrom('page', 'screen'), name: text, properties }),
  fc.record({ type: fc.constant('group'), groupId: fc.constantFrom('store-1', 'store-2') }),
)
const validEvent = fc.record({
  call: validCall,
  who,
  timestamp: fc.option(time, { nil: undefined }),
  context: fc.option(fc.record({ locale: fc.constantFrom('zh-CN', 'en-US') }), { nil: undefined }),
})

/** Places a value at a random depth of the event's properties. */
const buried = (value: string, depth: number) => `${'{"k":'.repeat(depth)}${value}${'}'.repeat(depth)}`

/** Every class of bad event, each as the text of one event. */
const hostileEvent: fc.Arbitrary<(base: Record<string, unknown>) => string> = fc.oneof(
  fc
    .integer({ min: 0, max: 10 })
    .map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"properties":${buried('"bad\\u0000value"', d)}}`)),
  fc
    .integer({ min: 0, max: 10 })
    .map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"properties":${buried('{"ke\\u0000y":1}', d)}}`)),
  fc
    .constantFrom('"\\ud800"', '"a\\udfffb"', '"\\udc00\\ud800"', '"x\\ud83d"')
    .chain((s) =>
      fc.integer({ min: 0, max: 10 }).map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"traits":${buried(s, d)}}`)),
    ),
  fc
    .constantFrom('0000-01-01T00:00:00Z', '+275000-01-01T00:00:00Z', '-000100-01-01T00:00:00Z', '+010000-01-01T00:00:00Z')
    .map((t) => (base: Record<string, unknown>) => json({ ...base, timestamp: t })),
  fc.constant((base: Record<string, unknown>) => json({ ...base, timestamp: '0001-01-01T00:00:00Z', sentAt: '9999-06-01T00:00:00Z' })),
  fc.integer({ min: 2001, max: 4000 }).map((n) => (base: Record<string, unknown>) => json({ ...base, messageId: 'm'.repeat(n) })),
  fc
    .integer({ min: 64, max: 8_000 })
    .map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"properties":${buried('1', d)}}`)),
  fc
    .integer({ min: 63, max: 20_000 })
    .map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"context":{"x":${'['.repeat(d)}${']'.repeat(d)}}}`)),
  fc
    .constantFrom('{"__proto__":{"admin":true}}', '{"__proto__":1}', '{"constructor":{"prototype":{"admin":true}}}')
    .chain((v) =>
      fc
        .integer({ min: 0, max: 6 })
        .map((d) => (base: Record<string, unknown>) => json(base).replace(/}$/, `,"properties":${buried(v, d)}}`)),
    ),
  fc.constantFrom('1', '"text"', 'null', '[1,2]', 'true').map((v) => () => v),
  fc.constant((base: Record<string, unknown>) => json({ ...base, userId: undefined, anonymousId: undefined })),
  fc.constant((base: Record<string, unknown>) => json({ ...base, properties: { pad: 'x'.repeat(33 * 1024) } })),
)
const json = (v: unknown) => JSON.stringify(v)

/** An event as generated: valid, or valid but spoilt by one hostile change. */
type Planned = {
  valid: boolean
  e: {
    call: Record<string, unknown>
    who: Record<string, unknown>
    timestamp?: string | undefined
    context?: Record<string, unknown> | undefined
  }
  h?: (base: Record<string, unknown>) => string
}

const batchArb: fc.Arbitrary<Planned[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: validEvent.map((e) => ({ valid: true as const, e })) },
    { weight: 1, arbitrary: fc.tuple(validEvent, hostileEvent).map(([e, h]) => ({ valid: false as const, e, h })) },
  ),
  { minLength: 1, maxLength: 10 },
)
const delivery = fc.record({
  path: fc.constantFrom('batch', 'b', 'import'),
  contentType: fc.constantFrom<string | undefined>(
    'application/json',
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    undefined,
  ),
  encoding: fc.constantFrom<'gzip' | 'deflate' | undefined>('gzip', 'deflate', undefined),
  keyInBody: fc.boolean(),
})
const unreadable = fc.oneof(
  fc.constant({ body: Buffer.from('certainly not gzip'), encoding: 'gzip' }),
  fc.constant({ body: gzipSync('{"batch":[]}').subarray(0, 12), encoding: 'gzip' }),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ body: Buffer.from(b), encoding: 'deflate' })),
  fc
    .string({ maxLength: 50 })
    .filter((s) => {
      try {
        JSON.parse(s)
        return false
      } catch {
        return true
      }
    })
    .map((s) => ({ body: Buffer.from(s), encoding: undefined })),
  fc.constant({ body: Buffer.from('{"batch":'), encoding: undefined }),
)

describe('tracking API fuzz', () => {
  const s = withOwnerApp()
  let writeKey: string
  let sourceId: string
  let sequence = 0

  beforeAll(async () => {
    const source = (await s.owner.post('/api/v1/sources', { name: 'Fuzzed', kind: 'web' })).json()
    writeKey = source.writeKey
    sourceId = source.id
  })

  const build = (batch: Planned[]): Sent[] =>
    batch.map(({ valid, e, h }) => {
      sequence += 1
      const messageId = `fz-${SEED}-${sequence}`
      const base = {
        ...e.call,
        ...e.who,
        messageId,
        ...(e.timestamp ? { timestamp: e.timestamp } : {}),
        ...(e.context ? { context: e.context } : {}),
      }
      return { text: valid || !h ? json(base) : h(base), valid, messageId: valid ? messageId : null }
    })

  const send = (body: Buffer, headers: Record<string, string | undefined>, path: string) =>
    s.t.app.inject({
      method: 'POST',
      url: `/v1/${path}`,
      headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>,
      payload: body,
    })

  it(`stores every valid event of a batch and quarantines each refused one with its index, never answering 5xx (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, delivery, async (batch, how) => {
        const events = build(batch)
        const text = `{${how.keyInBody ? `"writeKey":${json(writeKey)},` : ''}"batch":[${events.map((e) => e.text).join(',')}]}`
        const raw = Buffer.from(text)
        const body = how.encoding === 'gzip' ? gzipSync(raw) : how.encoding === 'deflate' ? deflateSync(raw) : raw
        const res = await send(
          body,
          {
            'content-type': how.contentType,
            'content-encoding': how.encoding,
            authorization: how.keyInBody ? undefined : `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
          },
          how.path,
        )
        expect(res.statusCode, res.body.slice(0, 500)).toBe(200)
        const validIds = events.flatMap((e) => (e.messageId ? [e.messageId] : []))
        const refused = events.flatMap((e, i) => (e.valid ? [] : [i]))
        expect({ accepted: res.json().accepted, rejected: res.json().rejected.map((r: { index: number }) => r.index) }).toEqual({
          accepted: validIds.length,
          rejected: refused,
        })
        if (validIds.length > 0) {
          const stored = await s.t.ctx.db
            .selectFrom('events')
            .select('message_id')
            .where('source_id', '=', sourceId)
            .where('message_id', 'in', validIds)
            .execute()
          expect(stored.map((r) => r.message_id).sort()).toEqual([...validIds].sort())
        }
        const quarantined = await s.t.ctx.db
          .selectFrom('quarantine')
          .select(['event_index', 'payload'])
          .where('request_id', '=', String(res.headers['x-request-id']))
          .orderBy('event_index')
          .execute()
        expect(quarantined.map((q) => q.event_index)).toEqual(refused)
        for (const q of quarantined) expect(JSON.stringify(q.payload)).not.toContain(writeKey)
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })

  it(`answers a single call with 200 or a 4xx with a code, quarantining a refused one (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        batchArb.map((b) => b.slice(0, 1)),
        fc.constantFrom('track', 't', 'identify', 'i', 'page', 'p', 'screen', 's', 'group', 'g'),
        fc.boolean(),
        async (one, path, keyInBody) => {
          const [event] = build(one)
          if (!event) return
          // As the browser SDK sends it: the write key in the body (and then only there) as well as the event.
          const objectEvent = event.text.startsWith('{')
          const text = keyInBody && objectEvent ? `{"writeKey":${json(writeKey)},${event.text.slice(1)}` : event.text
          const res = await send(
            Buffer.from(text),
            {
              'content-type': 'text/plain',
              authorization: keyInBody && objectEvent ? undefined : `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
            },
            path,
          )
          expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500)
          if (res.statusCode === 200) return
          expect(res.statusCode).toBe(400)
          expect(['INVALID_EVENT', 'EVENT_TOO_LARGE']).toContain(res.json().error.code)
          const quarantined = await s.t.ctx.db
            .selectFrom('quarantine')
            .select(['event_index', 'payload'])
            .where('request_id', '=', String(res.headers['x-request-id']))
            .execute()
          expect(quarantined).toHaveLength(1)
          expect(JSON.stringify(quarantined[0]?.payload)).not.toContain(writeKey)
        },
      ),
      { seed: SEED, numRuns: RUNS },
    )
  })

  it(`answers a body that cannot be read with a 400 code and stores nothing (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(unreadable, fc.constantFrom('batch', 'track', 'b'), async ({ body, encoding }, path) => {
        const before = await s.t.ctx.db
          .selectFrom('quarantine')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        const res = await send(
          body,
          {
            'content-type': 'application/json',
            'content-encoding': encoding,
            authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
          },
          path,
        )
        expect(res.statusCode, res.body.slice(0, 500)).toBe(400)
        expect(['INVALID_JSON', 'INVALID_BODY_ENCODING', 'INVALID_EVENT']).toContain(res.json().error.code)
        const after = await s.t.ctx.db
          .selectFrom('quarantine')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        expect(Number(after.n)).toBe(Number(before.n))
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })
})
