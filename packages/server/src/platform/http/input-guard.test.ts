import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'
import { findUnstorable, MAX_BODY_DEPTH } from './input-guard.js'

const NUL = 'holds a NUL character (\\u0000)'
const SURROGATE = 'holds a lone UTF-16 surrogate (not valid Unicode)'

describe('findUnstorable', () => {
  it('names every NUL and lone surrogate by its path, in keys too', () => {
    const body = { name: 'a\u0000b', tags: ['ok', 'x\ud800'], nested: { 'ke\u0000y': 1, pair: '😀' } }
    expect(findUnstorable(body, 'body')).toEqual([
      { field: 'body.name', message: NUL },
      { field: 'body.tags.1', message: SURROGATE },
      { field: 'body.nested["ke\ufffdy"]', message: NUL },
    ])
  })

  it('accepts surrogate pairs, other control characters and every other value', () => {
    expect(findUnstorable({ emoji: '😀', tab: '\t', bell: '\u0007', n: 1, b: true, none: null }, 'body')).toEqual([])
  })

  it(`refuses nesting past ${MAX_BODY_DEPTH} levels, naming where, without overflowing on 100,000`, () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i += 1) deep = [deep]
    const [problem, ...rest] = findUnstorable(deep, 'body', MAX_BODY_DEPTH)
    expect(rest).toEqual([])
    expect(problem?.field).toBe(`body${'.0'.repeat(MAX_BODY_DEPTH)}`)
    expect(problem?.message).toBe(`nests deeper than ${MAX_BODY_DEPTH} levels`)
    let allowed: unknown = 'x'
    for (let i = 1; i < MAX_BODY_DEPTH; i += 1) allowed = { a: allowed }
    expect(findUnstorable({ a: allowed }, 'body', MAX_BODY_DEPTH)).toEqual([])
  })

  it('lists at most 20 problems of a million values', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i % 2 ? `v${i}` : `v\u0000${i}`))
    expect(findUnstorable({ values }, 'body')).toHaveLength(20)
  })

  it('does not walk a raw upload stream', () => {
    expect(findUnstorable(Readable.from(['a\u0000b']), 'body')).toEqual([])
  })
})

describe('the admin API refuses what the database cannot store', () => {
  const s = withOwnerApp()

  it('answers a NUL deep in a segment definition with 400 VALIDATION_FAILED naming the field', async () => {
    const definition = { kind: 'and', children: [{ kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: 'Hang\u0000zhou' }] }
    const res = await s.owner.post('/api/v1/segments/preview', { definition })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'body.definition.children.0.value', message: NUL }] },
    })
  })

  it('answers a lone surrogate in a name, and stores nothing', async () => {
    const res = await s.owner.request({
      method: 'POST',
      url: '/api/v1/tag-groups',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"Life\\ud800cycle"}',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.fields).toEqual([{ field: 'body.name', message: SURROGATE }])
    expect((await s.owner.get('/api/v1/tag-groups')).json().items).toEqual([])
  })

  it('names a NUL in the query and in a path parameter', async () => {
    const search = await s.owner.get('/api/v1/profiles?search=138%00')
    expect([search.statusCode, search.json().error.details.fields]).toEqual([400, [{ field: 'query.search', message: NUL }]])
    const byIdentifier = await s.owner.get('/api/v1/profiles/by-identifier/phone/138%00')
    expect([byIdentifier.statusCode, byIdentifier.json().error.details.fields]).toEqual([400, [{ field: 'params.value', message: NUL }]])
    const audit = await s.owner.get('/api/v1/audit-log?action=user.create%00')
    expect(audit.json().error.details.fields).toEqual([{ field: 'query.action', message: NUL }])
  })

  it('refuses a segment definition 3,000 nots deep with a 400, before validation recurses into it', async () => {
    const payload = `{"definition":${'{"kind":"not","child":'.repeat(3000)}{"kind":"identifier","identifierType":"phone","has":true}${'}'.repeat(3000)}}`
    const res = await s.owner.request({
      method: 'POST',
      url: '/api/v1/segments/preview',
      headers: { 'content-type': 'application/json' },
      payload,
    })
    expect(res.statusCode).toBe(400)
    const [field] = res.json().error.details.fields
    expect(field).toEqual({
      field: `body.definition${'.child'.repeat(MAX_BODY_DEPTH - 1)}`,
      message: `nests deeper than ${MAX_BODY_DEPTH} levels`,
    })
  })

  it('leaves the tracking API to quarantine bad values per event', async () => {
    const { writeKey } = (await s.owner.post('/api/v1/sources', { name: 'Guard test', kind: 'server' })).json()
    const res = await s.t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      payload:
        '{"batch":[{"type":"track","userId":"g-1","event":"Fine"},{"type":"track","userId":"g-2","event":"Bad","properties":{"note":"a\\u0000b"}}]}',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().accepted).toBe(1)
  })
})
