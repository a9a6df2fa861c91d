import type { ManualClock } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { runDueJobs } from '../../test-support/run-background.js'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'

const CITY = { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' } as const
const SPEND = {
  kind: 'aggregate',
  event: 'Order Completed',
  filters: [],
  window: { type: 'last', amount: 90, unit: 'days' },
  aggregate: 'sum',
  property: 'total',
} as const

describe('the computations of segments, rule tags and computed properties', () => {
  const s = withOwnerApp()
  const computations = async (query = '') =>
    (await s.owner.get(`/api/v1/computations${query}`)).json().items as Array<Record<string, unknown>>

  it('shows what a save queued until its job has computed it, then the entity says when and how many', async () => {
    const segment = (await s.owner.post('/api/v1/segments', { name: 'In Chongqing', kind: 'dynamic', definition: CITY })).json()
    const tag = (await s.owner.post('/api/v1/tags', { name: 'Chongqing', kind: 'rule', definition: CITY })).json()
    const property = (await s.owner.post('/api/v1/computed-properties', { name: 'spend_90d', definition: SPEND })).json()
    await s.owner.post('/api/v1/tags', { name: 'By hand', kind: 'manual' })
    const queued = await computations()
    expect(queued.map((c) => [c.kind, c.id, c.state, c.attempts, c.lastError])).toEqual(
      expect.arrayContaining([
        ['segment', segment.id, 'queued', 0, null],
        ['tag', tag.id, 'queued', 0, null],
        ['computed_property', property.id, 'queued', 0, null],
      ]),
    )
    expect(queued).toHaveLength(3)
    expect(await computations(`?kind=tag`)).toEqual([expect.objectContaining({ id: tag.id })])
    expect(await computations(`?id=${segment.id}`)).toEqual([expect.objectContaining({ kind: 'segment' })])

    await runDueJobs(s.t.ctx)
    expect(await computations()).toEqual([])
    expect((await s.owner.get(`/api/v1/segments/${segment.id}`)).json().computedAt).not.toBeNull()
    expect((await s.owner.get(`/api/v1/computed-properties/${property.id}`)).json().computedAt).not.toBeNull()
  })

  it('shows a computation whose attempt failed as retrying, and one whose job died as failed, with the error', async () => {
    const clock = s.t.ctx.clock as ManualClock
    const segment = (await s.owner.post('/api/v1/segments', { name: 'Failing', kind: 'dynamic', definition: CITY })).json()
    const [job] = await s.t.ctx.jobs.claim('test', ['segments.compute'], 1, 60_000)
    if (!job) throw new Error('no job')
    expect(await s.t.ctx.jobs.fail({ ...job, maxAttempts: 2 }, 'database went away')).toBe('retry')
    expect(await computations(`?id=${segment.id}`)).toEqual([
      expect.objectContaining({ state: 'retrying', attempts: 1, lastError: 'database went away' }),
    ])
    clock.advance(60_000)
    const [again] = await s.t.ctx.jobs.claim('test', ['segments.compute'], 1, 60_000)
    if (!again) throw new Error('no job')
    expect(await computations(`?id=${segment.id}`)).toEqual([expect.objectContaining({ state: 'running', attempts: 2 })])
    expect(await s.t.ctx.jobs.fail({ ...again, maxAttempts: 2 }, 'database went away again')).toBe('dead')
    expect(await computations(`?id=${segment.id}`)).toEqual([
      expect.objectContaining({ state: 'failed', since: clock.now().toISOString(), lastError: 'database went away again' }),
    ])
  })

  it('shows a workspace only its own computations, to anyone who reads audiences', async () => {
    const other = await signIn(s.t.app, 'owner@example.com', 'owner-password')
    const created = await other.post('/api/v1/workspaces', { name: 'Other shop' })
    expect(created.statusCode).toBe(201)
    other.workspaceId = created.json().id
    expect((await other.get('/api/v1/computations')).json().items).toEqual([])
    expect((await s.t.app.inject({ method: 'GET', url: '/api/v1/computations' })).statusCode).toBe(401)
  })
})
