import { beforeAll, describe, expect, it } from 'vitest'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'
import { sourceByWriteKey } from './source-cache.js'

describe('updateSource', () => {
  const s = withOwnerApp()
  let source: { id: string; writeKey: string; allowedOrigins: string[] | null }
  const patch = (body: unknown, id = source.id) => s.owner.patch(`/api/v1/sources/${id}`, body)

  beforeAll(async () => {
    source = (await s.owner.post('/api/v1/sources', { name: 'Shop site', kind: 'web' })).json()
  })

  it('lets a new web source take events from any origin until one is set', async () => {
    expect(source.allowedOrigins).toBeNull()
    expect((await sourceByWriteKey(s.t.ctx, source.writeKey))?.allowedOrigins).toBeNull()
  })

  it('stores origins as browsers send them, and the tracking API sees them at once', async () => {
    const res = await patch({ allowedOrigins: [' HTTPS://Shop.Example.com/ ', 'https://shop.example.com:443', 'http://127.0.0.1:8080'] })
    expect(res.statusCode).toBe(200)
    expect(res.json().allowedOrigins).toEqual(['https://shop.example.com', 'http://127.0.0.1:8080'])
    const listed = (await s.owner.get('/api/v1/sources')).json().items.find((x: { id: string }) => x.id === source.id)
    expect(listed.allowedOrigins).toEqual(['https://shop.example.com', 'http://127.0.0.1:8080'])
    // The write key was looked up (and cached) before the change; the change clears it.
    expect((await sourceByWriteKey(s.t.ctx, source.writeKey))?.allowedOrigins).toEqual([
      'https://shop.example.com',
      'http://127.0.0.1:8080',
    ])
  })

  it('records the change in the audit log, before and after, without the write key', async () => {
    const res = await patch({ name: 'Shop website' })
    const entry = (await s.owner.get(`/api/v1/audit-log?action=source.update&entityId=${source.id}`)).json().items[0]
    expect(entry.requestId).toBe(res.headers['x-request-id'])
    expect(entry.before).toMatchObject({ name: 'Shop site', allowedOrigins: ['https://shop.example.com', 'http://127.0.0.1:8080'] })
    expect(entry.after).toMatchObject({ name: 'Shop website', allowedOrigins: ['https://shop.example.com', 'http://127.0.0.1:8080'] })
    expect(JSON.stringify(entry)).not.toContain(source.writeKey)
  })

  it('goes back to any origin with null or an empty list', async () => {
    expect((await patch({ allowedOrigins: [] })).json().allowedOrigins).toBeNull()
    await patch({ allowedOrigins: ['https://shop.example.com'] })
    expect((await patch({ allowedOrigins: null })).json()).toMatchObject({ name: 'Shop website', allowedOrigins: null })
  })

  it('refuses what is not an origin, naming the entry, and changes nothing', async () => {
    await patch({ allowedOrigins: ['https://shop.example.com'] })
    const res = await patch({ name: 'Renamed', allowedOrigins: ['https://m.example.com', 'https://shop.example.com/cart'] })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'INVALID_ORIGIN', details: { field: 'body.allowedOrigins.1' } })
    expect(res.json().error.message).toContain('https://shop.example.com/cart')
    for (const origins of [['*'], ['https://*.example.com'], ['shop.example.com']])
      expect((await patch({ allowedOrigins: origins })).json().error.code).toBe('INVALID_ORIGIN')
    const tooMany = await patch({ allowedOrigins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example.com`) })
    expect(tooMany.json().error.code).toBe('VALIDATION_FAILED')
    expect((await patch({ allowedOrigins: ['https://a.example'], writeKey: 'wk_mine' })).json().error.code).toBe('VALIDATION_FAILED')
    const listed = (await s.owner.get('/api/v1/sources')).json().items.find((x: { id: string }) => x.id === source.id)
    expect(listed).toMatchObject({ name: 'Shop website', allowedOrigins: ['https://shop.example.com'] })
  })

  it('answers a change of nothing ({}) with the source as it is, recording nothing', async () => {
    const audited = (await s.owner.get(`/api/v1/audit-log?action=source.update&entityId=${source.id}`)).json().items.length
    const before = (await s.owner.get('/api/v1/sources')).json().items.find((x: { id: string }) => x.id === source.id)
    const res = await patch({})
    expect([res.statusCode, res.json()]).toEqual([200, before])
    expect((await s.owner.get(`/api/v1/audit-log?action=source.update&entityId=${source.id}`)).json().items).toHaveLength(audited)
  })

  it('answers SOURCE_NOT_FOUND for a source that does not exist', async () => {
    const res = await patch({ name: 'Ghost' }, '00000000-0000-4000-8000-000000000000')
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'SOURCE_NOT_FOUND'])
  })

  it('is refused to a role without profiles.write', async () => {
    expect(
      (await s.owner.post('/api/v1/users', { email: 'ana@example.com', name: 'Ana', role: 'analyst', password: 'analyst-password' }))
        .statusCode,
    ).toBe(201)
    const analyst = await signIn(s.t.app, 'ana@example.com', 'analyst-password')
    const res = await analyst.patch(`/api/v1/sources/${source.id}`, { allowedOrigins: null })
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'PERMISSION_DENIED'])
  })
})
