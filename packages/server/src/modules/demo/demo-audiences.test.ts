import { testValue } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { DEMO_LABEL } from './demo-audiences.js'
import { demoEvents } from './demo-customer.js'
import { runDemo } from './demo-service.js'

describe('demo workspace audiences', () => {
  const s = withOwnerApp()
  const CUSTOMERS = 200

  it('comes with the example segments, computed properties and an exclusive lifecycle group, computed with members', async () => {
    const me = (await s.owner.get('/api/v1/me')).json()
    const outcome = await runDemo(s.t.ctx, {
      ownerId: me.user.id,
      actor: SYSTEM_ACTOR,
      workspaceName: 'Demo',
      customers: CUSTOMERS,
      seed: 11,
    })
    s.owner.workspaceId = outcome.workspaceId
    await settle(s.t.ctx)

    const segments = (await s.owner.get('/api/v1/segments')).json().items as Array<{
      name: string
      size: number
      computedAt: string | null
    }>
    const size = (name: string) => segments.find((x) => x.name === name)?.size
    expect(segments.map((x) => x.name).sort()).toEqual(['30天洗车3次以上', 'RFM高价值客户', '本周生日', '流失的普通会员'].sort())
    expect(segments.every((x) => x.computedAt !== null)).toBe(true)
    expect(size('30天洗车3次以上')).toBeGreaterThan(0)
    expect(size('流失的普通会员')).toBeGreaterThan(0)
    expect(size('RFM高价值客户')).toBeGreaterThan(0)
    // Birthdays are drawn at random: the segment holds exactly the customers whose birthday comes within 7 days.
    const birthdays = [...demoEvents({ customers: CUSTOMERS, end: s.t.clock.now(), seed: 11 })].filter(
      (e) =>
        e.type === 'identify' &&
        testValue(
          (e.traits as { birthday: string }).birthday,
          { type: 'date', op: 'anniversary_within_next_days', days: 7 },
          s.t.clock.now().getTime(),
          'Asia/Shanghai',
        ),
    )
    expect(size('本周生日')).toBe(birthdays.length)
    const labelled = (await s.owner.get(`/api/v1/segments?label=${encodeURIComponent(DEMO_LABEL)}`)).json().items
    expect(labelled).toHaveLength(4)

    const properties = (await s.owner.get('/api/v1/computed-properties')).json().items as Array<{
      id: string
      name: string
      profiles: number
    }>
    const rfm = properties.find((p) => p.name === 'rfm')
    expect(properties.find((p) => p.name === 'spend_90d')?.profiles).toBeGreaterThan(0)
    const groups = (await s.owner.get(`/api/v1/computed-properties/${rfm?.id}/distribution`)).json().groups as Array<{ value: string }>
    expect(groups.map((g) => g.value)).toEqual(expect.arrayContaining(['champions']))

    const [group] = (await s.owner.get('/api/v1/tag-groups')).json().items
    expect(group).toMatchObject({ name: '生命周期', exclusive: true })
    const tags = (await s.owner.get('/api/v1/tags')).json().items as Array<{ name: string; size: number; groupId: string }>
    expect(tags.map((t) => t.name).sort()).toEqual(['已流失', '新客', '沉睡中', '活跃'].sort())
    expect(tags.every((t) => t.groupId === group.id && t.size > 0)).toBe(true)
    // The lifecycle stages do not overlap: every customer is in exactly one.
    expect(tags.reduce((n, t) => n + t.size, 0)).toBe(CUSTOMERS)
  })

  it('can be built without them', async () => {
    const me = (await s.owner.get('/api/v1/me')).json()
    const outcome = await runDemo(s.t.ctx, {
      ownerId: me.user.id,
      actor: SYSTEM_ACTOR,
      workspaceName: 'Bare',
      customers: 5,
      audiences: false,
    })
    s.owner.workspaceId = outcome.workspaceId
    expect((await s.owner.get('/api/v1/segments')).json().items).toEqual([])
  })
})
