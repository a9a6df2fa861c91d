import { describe, expect, it } from 'vitest'
import { signIn, withOwnerApp, type TestCaller } from '../../test-support/test-app.js'

describe('users and roles', () => {
  const s = withOwnerApp()

  const add = (caller: TestCaller, email: string, role: string) =>
    caller.post('/api/v1/users', { email, name: email.split('@')[0], role, password: 'password-123' })

  it('adds a marketer who can sign in and sees only what a marketer may', async () => {
    const res = await add(s.owner, 'mia@example.com', 'marketer')
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ email: 'mia@example.com', role: 'marketer', disabled: false })
    const mia = await signIn(s.t.app, 'mia@example.com', 'password-123')
    const me = (await mia.get('/api/v1/me')).json()
    expect(me.role).toBe('marketer')
    expect(me.permissions).not.toContain('users.manage')
    expect((await mia.get('/api/v1/users')).statusCode).toBe(200)
    const denied = await add(mia, 'x@example.com', 'analyst')
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect(denied.json().error.message).toContain('users.manage')
    expect((await mia.get('/api/v1/audit-log')).statusCode).toBe(403)
  })

  it('lets each role do what its permissions say', async () => {
    const cases: Array<[role: string, url: string, status: number]> = [
      ['analyst', '/api/v1/audit-log', 200],
      ['analyst', '/api/v1/tokens', 403],
      ['sales', '/api/v1/jobs', 403],
      ['store_staff', '/api/v1/users', 403],
      ['admin', '/api/v1/tokens', 200],
    ]
    for (const [role, url, status] of cases) {
      const email = `${role}-${url.split('/').pop()}@example.com`
      expect((await add(s.owner, email, role)).statusCode).toBe(201)
      const caller = await signIn(s.t.app, email, 'password-123')
      expect([role, url, (await caller.get(url)).statusCode]).toEqual([role, url, status])
    }
  })

  it('lets nobody but an owner grant the owner role', async () => {
    await add(s.owner, 'adam@example.com', 'admin')
    const adam = await signIn(s.t.app, 'adam@example.com', 'password-123')
    const res = await add(adam, 'o2@example.com', 'owner')
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('ROLE_NOT_GRANTABLE')
    expect((await add(adam, 'a2@example.com', 'admin')).statusCode).toBe(201)
  })

  it('keeps the last owner', async () => {
    const me = (await s.owner.get('/api/v1/me')).json()
    const demote = await s.owner.patch(`/api/v1/users/${me.user.id}`, { role: 'admin' })
    expect(demote.statusCode).toBe(409)
    expect(demote.json().error.code).toBe('LAST_OWNER')
    expect((await s.owner.delete(`/api/v1/users/${me.user.id}`)).json().error.code).toBe('LAST_OWNER')
  })

  it('refuses a second membership for the same email with 409 USER_EXISTS', async () => {
    const res = await add(s.owner, 'mia@example.com', 'analyst')
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('USER_EXISTS')
  })

  it('disables a member: they are shut out of the workspace at once', async () => {
    const created = (await add(s.owner, 'dan@example.com', 'analyst')).json()
    const dan = await signIn(s.t.app, 'dan@example.com', 'password-123')
    expect((await dan.get('/api/v1/audit-log')).statusCode).toBe(200)
    expect((await s.owner.patch(`/api/v1/users/${created.id}`, { disabled: true })).json().disabled).toBe(true)
    expect((await dan.get('/api/v1/audit-log')).statusCode).toBe(404)
  })

  it('records who added, changed and removed a user, with before and after', async () => {
    const created = (await add(s.owner, 'eve@example.com', 'analyst')).json()
    await s.owner.patch(`/api/v1/users/${created.id}`, { role: 'sales' })
    await s.owner.delete(`/api/v1/users/${created.id}`)
    const entries = (await s.owner.get(`/api/v1/audit-log?entityId=${created.id}`)).json().items
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['user.remove', 'user.update', 'user.create'])
    const update = entries[1]
    expect(update.actor).toMatchObject({ kind: 'user', label: 'owner@example.com' })
    expect(update.before.role).toBe('analyst')
    expect(update.after.role).toBe('sales')
    expect(JSON.stringify(entries)).not.toContain('password')
  })

  it('lists roles with their permissions', async () => {
    const roles = (await s.owner.get('/api/v1/roles')).json().items
    expect(roles.map((r: { name: string }) => r.name)).toEqual(['owner', 'admin', 'marketer', 'analyst', 'sales', 'store_staff'])
    expect(roles.find((r: { name: string }) => r.name === 'analyst').permissions).not.toContain('pii.read')
  })
})
