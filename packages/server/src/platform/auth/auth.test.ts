import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, setupOwner, signIn, type TestApp, type TestCaller } from '../../test-support/test-app.js'

describe('first-run setup and sign-in', () => {
  let t: TestApp
  let owner: TestCaller
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('asks for setup while no user exists, then creates the owner, their workspace and a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needed: true })
    owner = await setupOwner(t.app, { email: 'Owner@Example.com', password: 'owner-password', name: 'Olga', workspace: 'Car Wash Co' })
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needed: false })
    const me = (await owner.get('/api/v1/me')).json()
    expect(me.user.email).toBe('owner@example.com')
    expect(me.workspaces).toEqual([{ id: me.currentWorkspaceId, name: 'Car Wash Co', role: 'owner' }])
    expect(me.permissions).toContain('users.manage')
    const workspace = (await owner.get('/api/v1/workspace')).json()
    expect(workspace).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN' })
  })

  it('refuses a second setup with 409 SETUP_ALREADY_DONE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { email: 'x@example.com', password: 'password-x', name: 'X', workspace: 'X' },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('SETUP_ALREADY_DONE')
    const count = await t.ctx.db.selectFrom('users').select('id').execute()
    expect(count).toHaveLength(1)
  })

  it('sets an httpOnly session cookie and never stores the secret itself', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'owner-password' },
    })
    expect(res.statusCode).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'rl_session')
    expect(cookie?.httpOnly).toBe(true)
    expect(cookie?.sameSite).toBe('Lax')
    const stored = await t.ctx.db.selectFrom('sessions').select('token_hash').execute()
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie?.value)
    const password = await t.ctx.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()
    expect(password.password_hash).toMatch(/^scrypt\$/)
  })

  it('signs out: the cookie no longer works', async () => {
    const caller = await signIn(t.app, 'owner@example.com', 'owner-password')
    expect((await caller.get('/api/v1/me')).statusCode).toBe(200)
    expect((await caller.post('/api/v1/auth/logout')).statusCode).toBe(200)
    expect((await caller.get('/api/v1/me')).statusCode).toBe(401)
  })

  it('answers a wrong password with 401 INVALID_CREDENTIALS, the same as an unknown email', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'nope-nope' },
    })
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.com', password: 'nope-nope' },
    })
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS'])
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS'])
    await t.ctx.db.deleteFrom('login_attempts').execute()
  })

  it('locks an email after repeated failures, even with the right password, until the lock expires', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'owner@example.com', password } })
    for (let i = 0; i < t.ctx.config.loginMaxFailures; i++) expect((await attempt('wrong-password')).statusCode).toBe(401)
    const locked = await attempt('owner-password')
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error.code).toBe('LOGIN_LOCKED')
    expect(locked.json().error.details.retryAfterSeconds).toBeGreaterThan(0)
    t.clock.advance(t.ctx.config.loginLockMinutes * 60_000 + 1000)
    expect((await attempt('owner-password')).statusCode).toBe(200)
  })

  it('expires sessions after the configured days', async () => {
    const caller = await signIn(t.app, 'owner@example.com', 'owner-password')
    t.clock.advance(t.ctx.config.sessionDays * 86_400_000 + 1000)
    expect((await caller.get('/api/v1/me')).statusCode).toBe(401)
  })
})

describe('sign-in rate limit per address', () => {
  it('answers 429 RATE_LIMITED after too many attempts from one address', async () => {
    const t = await createTestApp()
    try {
      const statuses: number[] = []
      for (let i = 0; i < 25; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `user${i}@example.com`, password: 'whatever-1' },
        })
        statuses.push(res.statusCode)
        if (res.statusCode === 429) expect(res.json().error.code).toBe('RATE_LIMITED')
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(20)
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
    } finally {
      await t.close()
    }
  })
})
