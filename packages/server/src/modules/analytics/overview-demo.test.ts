import type { Overview } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js'
import { drainLog } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { runDemo } from '../demo/index.js'

describe("the demo workspace's overview", () => {
  const s = withOwnerApp()

  it('counts every demo customer once, with a year of history rolled up behind the last 30 days', async () => {
    const owner = await s.t.ctx.db.selectFrom('users').select('id').executeTakeFirstOrThrow()
    const demo = await runDemo(s.t.ctx, { ownerId: owner.id, actor: SYSTEM_ACTOR, workspaceName: 'Demo', customers: 200 })
    await drainLog(s.t.ctx)
    s.owner.workspaceId = demo.workspaceId
    const o = (await s.owner.get('/api/v1/analytics/overview?days=30')).json() as Overview
    // Visitors who later signed in are the members they became: the customers are the demo's, no more.
    expect(o.totals.customers.value).toBe(demo.customers)
    const customers = o.series.map((d) => d.customers)
    expect(customers).toEqual([...customers].sort((a, b) => a - b))
    expect(o.totals.customers.previous).toBeLessThanOrEqual(demo.customers)
    for (const key of ['events', 'activeCustomers', 'orders', 'revenue'] as const) expect(o.totals[key].value, key).toBeGreaterThan(0)
    expect(o.sources.map((source) => source.name).sort()).toEqual(['洗车小程序', '门店收银'])
    expect(o.gettingStarted).toMatchObject({ hasSource: true, hasData: true })
  })
})
