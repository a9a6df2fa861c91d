import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { demoEvents } from './demo-customer.js'
import { runDemo } from './demo-service.js'

describe('demo workspace', () => {
  const s = withOwnerApp()

  it('builds customers with a year of washes, orders and cards through the ingestion path, the same for the same seed', async () => {
    const expected = [...demoEvents({ customers: 40, end: s.t.clock.now(), seed: 3 })]
    expect(expected).toEqual([...demoEvents({ customers: 40, end: s.t.clock.now(), seed: 3 })])
    const me = (await s.owner.get('/api/v1/me')).json()
    const outcome = await runDemo(s.t.ctx, { ownerId: me.user.id, actor: SYSTEM_ACTOR, workspaceName: 'Demo', customers: 40, seed: 3 })
    expect(outcome).toMatchObject({ customers: 40, events: expected.length })
    s.owner.workspaceId = outcome.workspaceId
    const profiles = (await s.owner.get('/api/v1/profiles?limit=200')).json().items
    expect(profiles).toHaveLength(40)
    const sources = (await s.owner.get('/api/v1/sources'))
      .json()
      .items.map((x: { kind: string }) => x.kind)
      .sort()
    expect(sources).toEqual(['mini_program', 'store_pos'])
    const busiest = await s.t.ctx.db
      .selectFrom('events')
      .select(['profile_id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', outcome.workspaceId)
      .where('name', '=', 'Order Completed')
      .groupBy('profile_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow()
    const timeline = (await s.owner.get(`/api/v1/profiles/${busiest.profile_id}/timeline?name=Order%20Completed&limit=5`)).json().items
    expect(timeline[0].properties).toMatchObject({ currency: 'CNY', store_id: expect.any(String) })
    const spanDays =
      (s.t.clock.now().getTime() -
        new Date(
          (
            await s.t.ctx.db
              .selectFrom('events')
              .select((eb) => eb.fn.min('timestamp').as('first'))
              .where('workspace_id', '=', outcome.workspaceId)
              .executeTakeFirstOrThrow()
          ).first as Date,
        ).getTime()) /
      86_400_000
    expect(spanDays).toBeGreaterThan(300)
    expect(expected.every((e) => Date.parse(String(e.timestamp)) <= s.t.clock.now().getTime())).toBe(true)
  })
})
