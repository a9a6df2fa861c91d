import { describe, expect, it } from 'vitest'
import { TestCaller, withOwnerApp } from '../../test-support/test-app.js'

describe('API tokens', () => {
  const s = withOwnerApp()

  it('creates a token whose secret works as a bearer token and is stored only hashed', async () => {
    const res = await s.owner.post('/api/v1/tokens', { name: 'nightly import', role: 'analyst' })
    expect(res.statusCode).toBe(201)
    const { token, secret } = res.json()
    expect(secret).toMatch(/^rl_[A-Za-z0-9_-]{8}_/)
    expect(secret.startsWith(token.prefix)).toBe(true)
    const script = new TestCaller(s.t.app, { token: secret })
    expect((await script.get('/api/v1/audit-log')).statusCode).toBe(200)
    // The token's role is analyst: it cannot manage users.
    expect(
      (await script.post('/api/v1/users', { email: 'x@example.com', name: 'X', role: 'sales', password: 'password-1' })).statusCode,
    ).toBe(403)
    const rows = await s.t.ctx.db.selectFrom('api_tokens').select('token_hash').execute()
    expect(JSON.stringify(rows)).not.toContain(secret)
    const listed = (await s.owner.get('/api/v1/tokens')).json().items
    expect(listed[0]).toMatchObject({ name: 'nightly import', role: 'analyst' })
    expect(listed[0].lastUsedAt).not.toBeNull()
    expect(JSON.stringify(listed)).not.toContain(secret)
  })

  it('revokes a token: it stops working and leaves the list', async () => {
    const { token, secret } = (await s.owner.post('/api/v1/tokens', { name: 'temp' })).json()
    const script = new TestCaller(s.t.app, { token: secret })
    expect((await script.get('/api/v1/users')).statusCode).toBe(200)
    expect((await s.owner.delete(`/api/v1/tokens/${token.id}`)).statusCode).toBe(200)
    expect((await script.get('/api/v1/users')).statusCode).toBe(401)
    expect((await s.owner.get('/api/v1/tokens')).json().items.map((x: { id: string }) => x.id)).not.toContain(token.id)
    expect((await s.owner.delete(`/api/v1/tokens/${token.id}`)).statusCode).toBe(404)
  })

  it('stops a token when its creator leaves the workspace', async () => {
    await s.owner.post('/api/v1/users', { email: 'ann@example.com', name: 'Ann', role: 'admin', password: 'password-123' })
    const ann = await (await import('../../test-support/test-app.js')).signIn(s.t.app, 'ann@example.com', 'password-123')
    const { secret } = (await ann.post('/api/v1/tokens', { name: 'ann script' })).json()
    const script = new TestCaller(s.t.app, { token: secret })
    expect((await script.get('/api/v1/users')).statusCode).toBe(200)
    const annId = (await ann.get('/api/v1/me')).json().user.id
    await s.owner.delete(`/api/v1/users/${annId}`)
    expect((await script.get('/api/v1/users')).statusCode).toBe(401)
  })

  it("refuses a token with a role above the creator's", async () => {
    await s.owner.post('/api/v1/users', { email: 'mo@example.com', name: 'Mo', role: 'admin', password: 'password-123' })
    const mo = await (await import('../../test-support/test-app.js')).signIn(s.t.app, 'mo@example.com', 'password-123')
    const res = await mo.post('/api/v1/tokens', { name: 'escalate', role: 'owner' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('ROLE_NOT_GRANTABLE')
  })
})
