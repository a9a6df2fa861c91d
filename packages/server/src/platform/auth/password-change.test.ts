import { describe, expect, it } from 'vitest'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'

describe('changing one’s own password', () => {
  const s = withOwnerApp()
  const login = (email: string, password: string) =>
    s.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })

  it('refuses a wrong current password with 403 WRONG_PASSWORD and changes nothing', async () => {
    const response = await s.owner.post('/api/v1/me/password', { currentPassword: 'not-my-password', newPassword: 'a-new-password' })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('WRONG_PASSWORD')
    expect((await login('owner@example.com', 'owner-password')).statusCode).toBe(200)
  })

  it('holds the new password to the setup rules and refuses the same one again', async () => {
    const short = await s.owner.post('/api/v1/me/password', { currentPassword: 'owner-password', newPassword: 'short' })
    expect(short.statusCode).toBe(400)
    expect(short.json().error.details.fields[0].field).toBe('body.newPassword')
    const same = await s.owner.post('/api/v1/me/password', { currentPassword: 'owner-password', newPassword: 'owner-password' })
    expect(same.statusCode).toBe(400)
    expect(same.json().error.details.fields[0].field).toBe('body.newPassword')
  })

  it('signs in with the new password only, keeps this session, ends the others, and is audited', async () => {
    const elsewhere = await signIn(s.t.app, 'owner@example.com', 'owner-password')
    const response = await s.owner.post('/api/v1/me/password', { currentPassword: 'owner-password', newPassword: 'a-better-password' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().endedSessions).toBeGreaterThanOrEqual(1)
    expect((await s.owner.get('/api/v1/me')).statusCode).toBe(200)
    expect((await elsewhere.get('/api/v1/me')).statusCode).toBe(401)
    const old = await login('owner@example.com', 'owner-password')
    expect(old.statusCode).toBe(401)
    expect(old.json().error.code).toBe('INVALID_CREDENTIALS')
    expect((await login('owner@example.com', 'a-better-password')).statusCode).toBe(200)
    const audit = (await s.owner.get('/api/v1/audit-log?action=user.password')).json()
    expect(audit.items).toHaveLength(1)
    expect(JSON.stringify(audit.items[0])).not.toContain('a-better-password')
  })

  it('locks the email after repeated wrong current passwords, as sign-in does', async () => {
    await s.owner.post('/api/v1/users', { email: 'staff@example.com', name: 'Staff', role: 'store_staff', password: 'staff-password' })
    const staff = await signIn(s.t.app, 'staff@example.com', 'staff-password')
    const codes: string[] = []
    for (let i = 0; i < 6; i++) {
      const r = await staff.post('/api/v1/me/password', { currentPassword: `guess-${i}`, newPassword: 'stolen-password' })
      codes.push(r.json().error.code)
    }
    expect(codes).toEqual(['WRONG_PASSWORD', 'WRONG_PASSWORD', 'WRONG_PASSWORD', 'WRONG_PASSWORD', 'WRONG_PASSWORD', 'LOGIN_LOCKED'])
    const right = await staff.post('/api/v1/me/password', { currentPassword: 'staff-password', newPassword: 'stolen-password' })
    expect(right.json().error.code).toBe('LOGIN_LOCKED')
    expect((await login('staff@example.com', 'staff-password')).json().error.code).toBe('LOGIN_LOCKED')
  })

  it('refuses an API token: a password changes from a signed-in session', async () => {
    const token = (await s.owner.post('/api/v1/tokens', { name: 'script' })).json().secret
    const response = await s.t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: 'a-better-password', newPassword: 'token-password' },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('PERMISSION_DENIED')
  })
})
