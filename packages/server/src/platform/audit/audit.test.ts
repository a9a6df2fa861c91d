import { beforeAll, describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('audit log', () => {
  const s = withOwnerApp()
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      await s.owner.post('/api/v1/users', { email: `u${i}@example.com`, name: `U${i}`, role: 'analyst', password: 'password-123' })
      s.t.clock.advance(60_000)
    }
    await s.owner.post('/api/v1/tokens', { name: 'script' })
  })

  it('pages through entries newest first with a cursor', async () => {
    const first = (await s.owner.get('/api/v1/audit-log?limit=3')).json()
    expect(first.items).toHaveLength(3)
    expect(first.items[0].action).toBe('token.create')
    const second = (await s.owner.get(`/api/v1/audit-log?limit=3&cursor=${first.nextCursor}`)).json()
    const ids = [...first.items, ...second.items].map((e: { id: string }) => Number(e.id))
    expect(ids).toEqual([...ids].sort((x, y) => y - x))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('filters by action, entity type, actor and time', async () => {
    const creates = (await s.owner.get('/api/v1/audit-log?action=user.create')).json().items
    expect(creates.length).toBe(6)
    const tokens = (await s.owner.get('/api/v1/audit-log?entityType=api_token')).json().items
    expect(tokens).toHaveLength(1)
    const me = (await s.owner.get('/api/v1/me')).json()
    const mine = (await s.owner.get(`/api/v1/audit-log?actorId=${me.user.id}`)).json().items
    expect(mine.length).toBeGreaterThanOrEqual(7)
    const from = new Date(s.t.clock.now().getTime() - 150_000).toISOString()
    const recent = (await s.owner.get(`/api/v1/audit-log?action=user.create&from=${encodeURIComponent(from)}`)).json().items
    expect(recent.map((e: { after: { email: string } }) => e.after.email)).toEqual(['u4@example.com', 'u3@example.com'])
  })
})
