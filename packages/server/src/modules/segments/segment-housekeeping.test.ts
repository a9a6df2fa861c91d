import type { SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('segment housekeeping', () => {
  const s = withOwnerApp()
  let writeKey: string
  const identify = (userId: string, traits: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId, traits },
    })
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string
  const segment = async (name: string, definition: SegmentNode, labels?: string[]) => {
    const res = await s.owner.post('/api/v1/segments', { name, kind: 'dynamic', definition, ...(labels ? { labels } : {}) })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  const ruleTag = async (name: string, definition: SegmentNode) => {
    const res = await s.owner.post('/api/v1/tags', { name, kind: 'rule', definition })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  const chongqing: SegmentNode = { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' }

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    await identify('cq-1', { city: '重庆' })
    await identify('cq-2', { city: '重庆' })
    await identify('cd-1', { city: '成都' })
    await settle(s.t.ctx)
  })

  it('refuses to delete a segment that segments or rule tags use, naming them, and deletes it once they are gone', async () => {
    const base = await segment('重庆客户', chongqing)
    const outer = await segment('重庆且有城市', { kind: 'and', children: [{ kind: 'segment', segmentId: base, member: true }] })
    const tag = await ruleTag('重庆标签', { kind: 'segment', segmentId: base, member: true })
    await settle(s.t.ctx)
    expect((await s.owner.get(`/api/v1/segments/${base}`)).json().size).toBe(2)

    const refused = await s.owner.delete(`/api/v1/segments/${base}`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('SEGMENT_IN_USE')
    expect(refused.json().error.details.usedBy).toEqual(
      expect.arrayContaining([
        { kind: 'segment', id: outer, name: '重庆且有城市' },
        { kind: 'tag', id: tag, name: '重庆标签' },
      ]),
    )
    expect(refused.json().error.message).toContain('重庆标签')
    expect((await s.owner.get(`/api/v1/segments/${base}`)).statusCode).toBe(200)

    expect((await s.owner.delete(`/api/v1/segments/${outer}`)).statusCode).toBe(200)
    expect((await s.owner.delete(`/api/v1/tags/${tag}`)).statusCode).toBe(200)
    const deleted = await s.owner.delete(`/api/v1/segments/${base}`)
    expect(deleted.statusCode, deleted.body).toBe(200)
    expect((await s.owner.get(`/api/v1/segments/${base}`)).statusCode).toBe(404)

    // The members left it through the engine: gone from their profile, kept in their history.
    const member = await profileOf('cq-1')
    const audiences = (await s.owner.get(`/api/v1/profiles/${member}/audiences`)).json()
    expect(JSON.stringify(audiences)).not.toContain(base)
    const history = (await s.owner.get(`/api/v1/profiles/${member}/audience-history`)).json().items as Array<Record<string, unknown>>
    expect(history.filter((h) => JSON.stringify(h).includes(base)).map((h) => h.change)).toEqual(['exited', 'entered'])
    const audit = (await s.owner.get(`/api/v1/audit-log?action=segment.delete`)).json().items as Array<Record<string, unknown>>
    expect(audit.find((a) => a.entityId === base)).toMatchObject({ after: { membersRemoved: 2 } })
  })

  it('duplicates a dynamic segment as "<name> (copy)", computed as a new segment, and a static one with its members', async () => {
    const source = await segment('成都客户', { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '成都' }, ['城市'])
    await settle(s.t.ctx)
    const copied = await s.owner.post(`/api/v1/segments/${source}/duplicate`, {})
    expect(copied.statusCode, copied.body).toBe(201)
    expect(copied.json()).toMatchObject({ name: '成都客户 (copy)', kind: 'dynamic', labels: ['城市'], computedAt: null })
    await settle(s.t.ctx)
    const copy = (await s.owner.get(`/api/v1/segments/${copied.json().id}`)).json()
    expect(copy.definition).toEqual((await s.owner.get(`/api/v1/segments/${source}`)).json().definition)
    expect(copy.size).toBe(1)
    expect((await s.owner.post(`/api/v1/segments/${source}/duplicate`, {})).json().name).toBe('成都客户 (copy 2)')
    const named = await s.owner.post(`/api/v1/segments/${source}/duplicate`, { name: '成都客户（副本）' })
    expect(named.json().name).toBe('成都客户（副本）')
    const taken = await s.owner.post(`/api/v1/segments/${source}/duplicate`, { name: '成都客户（副本）' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error).toMatchObject({ code: 'NAME_TAKEN', details: { field: 'body.name' } })

    const list = (await s.owner.post('/api/v1/segments', { name: '名单', kind: 'static' })).json().id as string
    await s.owner.post(`/api/v1/segments/${list}/members`, { mode: 'append', identifierType: 'user_id', values: ['cq-1', 'cd-1'] })
    const staticCopy = await s.owner.post(`/api/v1/segments/${list}/duplicate`, {})
    expect(staticCopy.json()).toMatchObject({ name: '名单 (copy)', kind: 'static', size: 2 })
    const members = (await s.owner.get(`/api/v1/segments/${staticCopy.json().id}/members`)).json().items as Array<{ id: string }>
    expect(members.map((m) => m.id).sort()).toEqual([await profileOf('cq-1'), await profileOf('cd-1')].sort())
    expect((await s.owner.post(`/api/v1/segments/00000000-0000-4000-8000-000000000000/duplicate`, {})).statusCode).toBe(404)
  })

  it('keeps labels trimmed and once each, edits them, and filters the list by one', async () => {
    const a = await segment('标签甲', chongqing, [' 门店活动 ', '门店活动', 'vip'])
    const b = await segment('标签乙', chongqing, ['vip'])
    expect((await s.owner.get(`/api/v1/segments/${a}`)).json().labels).toEqual(['门店活动', 'vip'])
    const byLabel = async (label: string) =>
      ((await s.owner.get(`/api/v1/segments?label=${encodeURIComponent(label)}`)).json().items as Array<{ id: string }>).map((x) => x.id)
    expect(await byLabel('门店活动')).toEqual([a])
    expect((await byLabel('vip')).sort()).toEqual([a, b].sort())
    const patched = await s.owner.patch(`/api/v1/segments/${b}`, { labels: ['门店活动'] })
    expect(patched.statusCode, patched.body).toBe(200)
    expect((await byLabel('门店活动')).sort()).toEqual([a, b].sort())
    expect(await byLabel('vip')).toEqual([a])
    expect(await byLabel('无此分类')).toEqual([])
    const blank = await s.owner.patch(`/api/v1/segments/${b}`, { labels: ['  '] })
    expect(blank.statusCode).toBe(400)
  })
})
