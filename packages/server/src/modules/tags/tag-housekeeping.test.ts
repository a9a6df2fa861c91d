import type { SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('tag housekeeping', () => {
  const s = withOwnerApp()
  let writeKey: string
  const identify = (userId: string, traits: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId, traits },
    })
  const created = async (path: string, body: Record<string, unknown>) => {
    const res = await s.owner.post(path, body)
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  const give = (tagId: string, userIds: string[]) =>
    s.owner.post(`/api/v1/tags/${tagId}/profiles`, { action: 'add', identifierType: 'user_id', values: userIds })
  const tag = async (id: string) => (await s.owner.get('/api/v1/tags')).json().items.find((x: { id: string }) => x.id === id)
  const city = (value: string): SegmentNode => ({ kind: 'trait', trait: 'city', type: 'string', op: 'equals', value })

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    for (const [id, c] of [
      ['u-1', '重庆'],
      ['u-2', '重庆'],
      ['u-3', '成都'],
    ] as const)
      await identify(id, { city: c })
    await settle(s.t.ctx)
  })

  it('refuses to delete a tag that segments or rule tags use, naming them, and takes it off everyone when deleted', async () => {
    const vip = await created('/api/v1/tags', { name: 'VIP', kind: 'manual' })
    await give(vip, ['u-1', 'u-3'])
    const seg = await created('/api/v1/segments', { name: 'VIP 人群', kind: 'dynamic', definition: { kind: 'tag', tagId: vip, has: true } })
    const rule = await created('/api/v1/tags', {
      name: 'VIP 重庆',
      kind: 'rule',
      definition: { kind: 'and', children: [{ kind: 'tag', tagId: vip, has: true }, city('重庆')] },
    })
    await settle(s.t.ctx)
    expect((await tag(rule)).size).toBe(1)

    const refused = await s.owner.delete(`/api/v1/tags/${vip}`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'TAG_IN_USE' })
    expect(refused.json().error.details.usedBy).toEqual(
      expect.arrayContaining([
        { kind: 'segment', id: seg, name: 'VIP 人群' },
        { kind: 'tag', id: rule, name: 'VIP 重庆' },
      ]),
    )
    expect((await s.owner.delete(`/api/v1/segments/${seg}`)).statusCode).toBe(200)
    expect((await s.owner.delete(`/api/v1/tags/${rule}`)).statusCode).toBe(200)
    expect((await s.owner.delete(`/api/v1/tags/${vip}`)).statusCode).toBe(200)
    expect(await tag(vip)).toBeUndefined()
    const audit = (await s.owner.get('/api/v1/audit-log?action=tag.delete')).json().items as Array<Record<string, unknown>>
    expect(audit.find((a) => a.entityId === vip)).toMatchObject({ after: { membersRemoved: 2 } })
    expect((await s.owner.delete(`/api/v1/tags/${vip}`)).statusCode).toBe(404)
  })

  it("renames, describes, regroups and labels a tag, and recomputes a rule tag's new definition", async () => {
    const group = await created('/api/v1/tag-groups', { name: '地区' })
    const rule = await created('/api/v1/tags', { name: '重庆人', kind: 'rule', definition: city('重庆') })
    await settle(s.t.ctx)
    expect((await tag(rule)).size).toBe(2)
    const edited = await s.owner.patch(`/api/v1/tags/${rule}`, {
      name: '成都人',
      description: 'Lives in Chengdu',
      groupId: group,
      labels: ['地区', ' 地区 '],
      definition: city('成都'),
    })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ name: '成都人', description: 'Lives in Chengdu', groupId: group, labels: ['地区'] })
    await settle(s.t.ctx)
    expect((await tag(rule)).size).toBe(1)
    const filtered = (await s.owner.get(`/api/v1/tags?label=${encodeURIComponent('地区')}`)).json().items
    expect(filtered.map((x: { id: string }) => x.id)).toEqual([rule])

    const manual = await created('/api/v1/tags', { name: '手动', kind: 'manual' })
    expect((await s.owner.patch(`/api/v1/tags/${manual}`, { definition: city('重庆') })).json().error.code).toBe('WRONG_SEGMENT_KIND')
    expect((await s.owner.patch(`/api/v1/tags/${manual}`, { name: '成都人' })).json().error.code).toBe('NAME_TAKEN')
    const self = await s.owner.patch(`/api/v1/tags/${rule}`, { definition: { kind: 'tag', tagId: rule, has: true } })
    expect(self.json().error.code).toBe('INVALID_DEFINITION')
    const missingGroup = await s.owner.patch(`/api/v1/tags/${manual}`, { groupId: '00000000-0000-4000-8000-000000000000' })
    expect(missingGroup.json().error.code).toBe('TAG_GROUP_NOT_FOUND')
    const audit = (await s.owner.get('/api/v1/audit-log?action=tag.update')).json().items as Array<Record<string, unknown>>
    expect(audit.find((a) => a.entityId === rule)).toMatchObject({ before: { name: '重庆人' }, after: { name: '成都人' } })
  })

  it('makes a group exclusive only while nobody holds two of its manual tags, and deletes a group only when empty', async () => {
    const group = (await s.owner.post('/api/v1/tag-groups', { name: '生命周期' })).json()
    const a = await created('/api/v1/tags', { name: '新客', kind: 'manual', groupId: group.id })
    const b = await created('/api/v1/tags', { name: '老客', kind: 'manual', groupId: group.id })
    await give(a, ['u-1', 'u-2'])
    await give(b, ['u-2'])
    const refused = await s.owner.patch(`/api/v1/tag-groups/${group.id}`, { exclusive: true })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'EXCLUSIVE_GROUP_CONFLICT', details: { profiles: 1 } })
    await s.owner.post(`/api/v1/tags/${b}/profiles`, { action: 'remove', identifierType: 'user_id', values: ['u-2'] })
    const renamed = await s.owner.patch(`/api/v1/tag-groups/${group.id}`, { name: '客户阶段', exclusive: true })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json()).toMatchObject({ name: '客户阶段', exclusive: true })
    // Moving a tag in is held to the same rule.
    const outside = await created('/api/v1/tags', { name: '外来', kind: 'manual' })
    await give(outside, ['u-1'])
    expect((await s.owner.patch(`/api/v1/tags/${outside}`, { groupId: group.id })).json().error.code).toBe('EXCLUSIVE_GROUP_CONFLICT')
    await s.owner.post(`/api/v1/tags/${outside}/profiles`, { action: 'remove', identifierType: 'user_id', values: ['u-1'] })
    expect((await s.owner.patch(`/api/v1/tags/${outside}`, { groupId: group.id })).statusCode).toBe(200)

    const notEmpty = await s.owner.delete(`/api/v1/tag-groups/${group.id}`)
    expect(notEmpty.statusCode).toBe(409)
    expect(notEmpty.json().error.code).toBe('TAG_GROUP_NOT_EMPTY')
    expect(notEmpty.json().error.details.tags.map((x: { name: string }) => x.name)).toEqual(['外来', '新客', '老客'])
    for (const id of [a, b, outside]) expect((await s.owner.delete(`/api/v1/tags/${id}`)).statusCode).toBe(200)
    expect((await s.owner.delete(`/api/v1/tag-groups/${group.id}`)).statusCode).toBe(200)
    expect((await s.owner.get('/api/v1/tag-groups')).json().items.map((g: { name: string }) => g.name)).not.toContain('客户阶段')
    expect((await s.owner.patch(`/api/v1/tag-groups/${group.id}`, { name: 'x' })).statusCode).toBe(404)
  })

  it('previews a rule tag definition with the segment preview (the live count of the rule tag editor)', async () => {
    const vipOnly = await created('/api/v1/tags', { name: '预览用', kind: 'manual' })
    await give(vipOnly, ['u-3'])
    const preview = await s.owner.post('/api/v1/segments/preview', {
      definition: { kind: 'or', children: [{ kind: 'tag', tagId: vipOnly, has: true }, city('重庆')] },
    })
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json().count).toBe(3)
  })
})
