import { beforeAll, describe, expect, it } from 'vitest'
import { signIn, withOwnerApp, type TestCaller } from '../../test-support/test-app.js'

type Listed = { items: Array<{ id: string; traits: Record<string, unknown> }>; nextCursor: string | null; total?: number }

/** Customers c1…c7: first seen on day i, last seen on the day LAST[i] (a different order), in two cities. */
const LAST = [15, 11, 16, 12, 14, 13, 17]
const day = (d: number) => new Date(Date.UTC(2026, 0, d, 8)).toISOString()

describe('the customers list: total, filters, sort and export', () => {
  const s = withOwnerApp()
  const ids = new Map<string, string>()
  let analyst: TestCaller
  let segmentId = ''
  let tagId = ''

  const list = async (caller: TestCaller, query: Record<string, string | number>) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
    const response = await caller.get(`/api/v1/profiles?${qs}`)
    expect(response.statusCode, response.body).toBe(200)
    return response.json<Listed>()
  }
  /** Every page of a query, following the cursor, as user ids (names `cN`). */
  const walk = async (query: Record<string, string | number>) => {
    const names: string[] = []
    let cursor: string | null = null
    do {
      const page: Listed = await list(s.owner, { ...query, limit: 2, ...(cursor ? { cursor } : {}) })
      names.push(...page.items.map((p) => String(p.traits.name)))
      cursor = page.nextCursor
    } while (cursor)
    return names
  }
  const exportAll = async (caller: TestCaller, query: Record<string, string | number>) => {
    let csv = ''
    let cursor: string | null = null
    do {
      const qs = new URLSearchParams(Object.entries({ ...query, limit: 3, ...(cursor ? { cursor } : {}) }).map(([k, v]) => [k, String(v)]))
      const response = await caller.get(`/api/v1/profiles/export?${qs}`)
      expect(response.statusCode, response.body).toBe(200)
      const part = response.json<{ csv: string; rows: number; nextCursor: string | null }>()
      csv += part.csv
      cursor = part.nextCursor
    } while (cursor)
    return csv.trimEnd().split('\n')
  }

  beforeAll(async () => {
    const { writeKey } = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'server' })).json()
    const batch = LAST.flatMap((last, i) => {
      const n = i + 1
      return [
        {
          type: 'identify',
          userId: `c${n}`,
          timestamp: day(n),
          traits: {
            name: `c${n}`,
            city: n % 2 ? '重庆' : '成都',
            phone: `1380000000${n}`,
            email: `c${n}@example.com`,
            ...(n <= 3 ? { vip: true } : {}),
          },
        },
        { type: 'track', userId: `c${n}`, event: 'Store Visited', timestamp: day(last) },
      ]
    })
    // A visitor merged into c7 by hand is no customer of its own.
    batch.push({ type: 'track', anonymousId: 'visitor-merged', event: 'Page Viewed', timestamp: day(20) } as never)
    const sent = await s.t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { batch },
    })
    expect(sent.statusCode, sent.body).toBe(200)
    for (let n = 1; n <= 7; n++) ids.set(`c${n}`, (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/c${n}`)).json().id)
    const visitor = (await s.owner.get('/api/v1/profiles/by-identifier/anonymous_id/visitor-merged')).json().id
    expect((await s.owner.post(`/api/v1/profiles/${visitor}/merge`, { intoProfileId: ids.get('c7') })).statusCode).toBe(200)

    segmentId = (await s.owner.post('/api/v1/segments', { name: 'Picked', kind: 'static' })).json().id
    const members = await s.owner.post(`/api/v1/segments/${segmentId}/members`, {
      mode: 'append',
      identifierType: 'user_id',
      values: ['c2', 'c4', 'c5'],
    })
    expect(members.statusCode, members.body).toBe(200)
    tagId = (await s.owner.post('/api/v1/tags', { name: 'Regular', kind: 'manual' })).json().id
    const tagged = await s.owner.post(`/api/v1/tags/${tagId}/profiles`, { action: 'add', identifierType: 'user_id', values: ['c4', 'c6'] })
    expect(tagged.statusCode, tagged.body).toBe(200)

    await s.owner.post('/api/v1/users', { email: 'analyst@example.com', name: 'Ana', role: 'analyst', password: 'analyst-password' })
    analyst = await signIn(s.t.app, 'analyst@example.com', 'analyst-password')
  })

  it('counts the live customers, leaving out the profile merged away', async () => {
    const first = await list(s.owner, { limit: 2 })
    expect(first.total).toBe(7)
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).not.toBeNull()
    expect((await list(s.owner, { limit: 2, cursor: first.nextCursor ?? '' })).total).toBeUndefined()
    expect(await walk({})).toHaveLength(7)
  })

  it('filters by a trait: equals, contains (any case) and exists, with exact totals', async () => {
    const equals = await list(s.owner, { trait: 'city', traitOperator: 'equals', traitValue: '重庆' })
    expect(equals.items.map((p) => p.traits.name).sort()).toEqual(['c1', 'c3', 'c5', 'c7'])
    expect(equals.total).toBe(4)
    const contains = await list(s.owner, { trait: 'email', traitOperator: 'contains', traitValue: 'C3@EXAMPLE' })
    expect(contains.items.map((p) => p.traits.name)).toEqual(['c3'])
    const exists = await list(s.owner, { trait: 'vip', traitOperator: 'exists' })
    expect(exists.total).toBe(3)
    const literal = await list(s.owner, { trait: 'email', traitOperator: 'contains', traitValue: '%' })
    expect(literal.total).toBe(0)
  })

  it('filters by segment membership and by tag, together with a trait', async () => {
    const inSegment = await list(s.owner, { segmentId })
    expect(inSegment.items.map((p) => p.traits.name).sort()).toEqual(['c2', 'c4', 'c5'])
    expect(inSegment.total).toBe(3)
    const tagged = await list(s.owner, { tagId })
    expect(tagged.items.map((p) => p.traits.name).sort()).toEqual(['c4', 'c6'])
    const both = await list(s.owner, { segmentId, tagId, trait: 'city', traitValue: '成都' })
    expect(both.items.map((p) => p.traits.name)).toEqual(['c4'])
    expect(both.total).toBe(1)
  })

  it('sorts by last seen and first seen both ways, pages staying in order', async () => {
    const byLast = LAST.map((d, i) => ({ d, name: `c${i + 1}` }))
      .sort((a, b) => a.d - b.d)
      .map((x) => x.name)
    // c7 took the merged visitor's later visit (day 20), so it is the latest either way.
    expect(await walk({ sort: 'last_seen_asc' })).toEqual(byLast)
    expect(await walk({ sort: 'last_seen_desc' })).toEqual([...byLast].reverse())
    expect(await walk({ sort: 'first_seen_asc' })).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'])
    expect(await walk({ sort: 'first_seen_desc' })).toEqual(['c7', 'c6', 'c5', 'c4', 'c3', 'c2', 'c1'])
    expect(await walk({ sort: 'first_seen_desc', trait: 'city', traitValue: '重庆' })).toEqual(['c7', 'c5', 'c3', 'c1'])
  })

  it('keeps the search by identifier, alone and with a filter', async () => {
    const found = await list(s.owner, { search: '13800000003' })
    expect(found.items.map((p) => p.traits.name)).toEqual(['c3'])
    expect(found.total).toBe(1)
    expect((await list(s.owner, { search: 'c3@example.com', segmentId })).total).toBe(0)
  })

  it('exports the filtered list as CSV in the list order, in parts', async () => {
    const lines = await exportAll(s.owner, { trait: 'city', traitValue: '重庆', sort: 'first_seen_asc' })
    expect(lines[0]).toBe('profile_id,name,phone,email,user_id,first_seen_at,last_seen_at')
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['c1', 'c3', 'c5', 'c7'])
    expect(lines[1]).toBe(`${ids.get('c1')},c1,13800000001,c1@example.com,c1,${day(1)},${day(15)}`)
    expect(await exportAll(s.owner, {})).toHaveLength(8)
  })

  it('masks phones and emails in the list and the export for a role without personal data', async () => {
    const listed = await list(analyst, { trait: 'name', traitValue: 'c2' })
    expect(listed.items[0]?.traits.phone).toBe('138****0002')
    const lines = await exportAll(analyst, { trait: 'name', traitValue: 'c2' })
    expect(lines[1]).toBe(`${ids.get('c2')},c2,138****0002,c***@example.com,c2,${day(2)},${day(11)}`)
    expect(lines.join('\n')).not.toContain('13800000002')
  })

  it('names the field of a wrong filter', async () => {
    const response = await s.owner.get('/api/v1/profiles?sort=name')
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
    const noValue = await s.owner.get('/api/v1/profiles?trait=city&traitOperator=contains')
    expect(noValue.statusCode).toBe(400)
    expect(noValue.json().error.details.fields[0].field).toBe('query.traitValue')
    const noName = await s.owner.get('/api/v1/profiles/export?traitValue=重庆')
    expect(noName.statusCode).toBe(400)
    expect(noName.json().error.details.fields[0].field).toBe('query.trait')
  })
})
