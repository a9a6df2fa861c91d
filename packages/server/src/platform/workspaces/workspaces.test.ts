import { describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('workspaces', () => {
  const s = withOwnerApp()

  it('changes settings and records the change', async () => {
    const res = await s.owner.patch('/api/v1/workspace', { timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en-US' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en-US' })
    const [entry] = (await s.owner.get('/api/v1/audit-log?action=workspace.update')).json().items
    expect(entry.before.timeZone).toBe('Asia/Shanghai')
    expect(entry.after.timeZone).toBe('Europe/Berlin')
  })

  it('refuses a time zone that does not exist, naming the field', async () => {
    const res = await s.owner.patch('/api/v1/workspace', { timeZone: 'Mars/Olympus' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.fields[0].field).toBe('body.timeZone')
    expect((await s.owner.get('/api/v1/workspace')).json().timeZone).toBe('Europe/Berlin')
  })

  it('answers a change of nothing ({}) with the workspace as it is, and records no change', async () => {
    const before = (await s.owner.get('/api/v1/workspace')).json()
    const audited = (await s.owner.get('/api/v1/audit-log?action=workspace.update')).json().items.length
    const res = await s.owner.patch('/api/v1/workspace', {})
    expect([res.statusCode, res.json()]).toEqual([200, before])
    expect((await s.owner.get('/api/v1/audit-log?action=workspace.update')).json().items).toHaveLength(audited)
  })

  it('creates a second workspace and switches to it with the x-workspace-id header', async () => {
    const created = await s.owner.post('/api/v1/workspaces', { name: 'Second' })
    expect(created.statusCode).toBe(201)
    const second = created.json()
    expect(second).toMatchObject({ name: 'Second', timeZone: 'Asia/Shanghai', currency: 'CNY' })
    const list = (await s.owner.get('/api/v1/workspaces')).json().items
    expect(list.map((w: { name: string }) => w.name)).toEqual(['Acme', 'Second'])
    const inSecond = await s.owner.request({ method: 'GET', url: '/api/v1/workspace', headers: { 'x-workspace-id': second.id } })
    expect(inSecond.json().name).toBe('Second')
    const me = await s.owner.request({ method: 'GET', url: '/api/v1/me', headers: { 'x-workspace-id': second.id } })
    expect(me.json().currentWorkspaceId).toBe(second.id)
  })
})
