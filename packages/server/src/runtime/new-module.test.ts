import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notesModule } from '../test-support/example-module/module.js'
import { settle } from '../test-support/run-background.js'
import { createTestApp, setupOwner, type TestApp, type TestCaller } from '../test-support/test-app.js'
import { MODULES } from './modules.js'

// A module added the way every next one is: its folder, and one entry in the list of modules. Its
// migration, routes, typed queue, log consumer, internal event and erasure hook all take effect.
describe('a new module, added by one entry in the list of modules', () => {
  const modules = [...MODULES, notesModule]
  let t: TestApp
  let owner: TestCaller
  let profileId: string
  let writeKeyHeader: string
  beforeAll(async () => {
    t = await createTestApp({}, { modules })
    owner = await setupOwner(t.app)
    const { writeKey } = (await owner.post('/api/v1/sources', { name: 'Shop', kind: 'server' })).json()
    writeKeyHeader = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: {
        batch: [
          { type: 'track', userId: 'u-note', event: 'Order Completed', properties: { total: 5000 } },
          { type: 'track', userId: 'u-note', event: 'Order Completed', properties: { total: 7000 } },
        ],
      },
    })
    expect(sent.json()).toMatchObject({ accepted: 2 })
    profileId = (await owner.get('/api/v1/profiles/by-identifier/user_id/u-note')).json().id
  })
  afterAll(() => t.close())

  it('serves its routes behind the workspace check, reads the log with its consumer, and appends its own event', async () => {
    const added = await owner.post(`/api/v1/example/profiles/${profileId}/notes`, { text: 'Prefers the wax wash', remindInMinutes: 30 })
    expect(added.statusCode).toBe(201)
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/example/profiles/${profileId}/notes` })
    expect(anonymous.statusCode).toBe(401)
    await settle(t.ctx, modules)
    expect((await owner.get(`/api/v1/example/profiles/${profileId}/notes`)).json()).toMatchObject({
      items: [{ text: 'Prefers the wax wash', remindedAt: null }],
      orders: 2,
    })
    const timeline = (await owner.get(`/api/v1/profiles/${profileId}/timeline?name=Note%20Added`)).json()
    expect(timeline.items).toHaveLength(1)
  })

  it("refuses its internal event from clients, as every module's", async () => {
    const { writeKey } = (await owner.post('/api/v1/sources', { name: 'Forger', kind: 'server' })).json()
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'u-note', event: 'Note Added', properties: { note_id: '1' } },
    })
    expect(sent.statusCode).toBe(400)
    expect(sent.json().error.details.rejected).toMatchObject([
      { code: 'INVALID_EVENT', field: 'event', reason: expect.stringContaining('records itself') },
    ])
  })

  it('runs its queue with the payload checked, when the job is due', async () => {
    t.clock.advance(31 * 60_000)
    await settle(t.ctx, modules)
    const [note] = (await owner.get(`/api/v1/example/profiles/${profileId}/notes`)).json().items
    expect(note.remindedAt).toBe(t.clock.now().toISOString())
  })

  it("moves a merged profile's notes to the survivor, whether ingestion merges them or an operator does", async () => {
    const track = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: writeKeyHeader }, payload: body })
    await track({ anonymousId: 'visitor-9', event: 'Store Visited' })
    const visitor = (await owner.get('/api/v1/profiles/by-identifier/anonymous_id/visitor-9')).json().id
    await owner.post(`/api/v1/example/profiles/${visitor}/notes`, { text: 'Asked about the monthly pass' })
    // Signing in: the anonymous visitor merges into the member u-note.
    await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: writeKeyHeader },
      payload: { userId: 'u-note', anonymousId: 'visitor-9' },
    })
    expect((await owner.get(`/api/v1/example/profiles/${profileId}/notes`)).json().items.map((n: { text: string }) => n.text)).toContain(
      'Asked about the monthly pass',
    )
    // By hand: a walk-in the operator recognises as u-note brings their note along.
    await track({ anonymousId: 'walk-in-3', event: 'Store Visited' })
    const other = (await owner.get('/api/v1/profiles/by-identifier/anonymous_id/walk-in-3')).json().id
    await owner.post(`/api/v1/example/profiles/${other}/notes`, { text: 'Second car: a van' })
    const merged = await owner.post(`/api/v1/profiles/${other}/merge`, { intoProfileId: profileId })
    expect(merged.statusCode).toBe(200)
    const texts = (await owner.get(`/api/v1/example/profiles/${profileId}/notes`)).json().items.map((n: { text: string }) => n.text)
    expect(texts).toEqual(expect.arrayContaining(['Prefers the wax wash', 'Asked about the monthly pass', 'Second car: a van']))
    expect((await owner.get(`/api/v1/example/profiles/${other}/notes`)).json().items).toEqual([])
  })

  it("forgets the customer's notes when the customer is erased", async () => {
    const erased = await owner.request({ method: 'DELETE', url: `/api/v1/profiles/${profileId}` })
    expect(erased.statusCode).toBe(200)
    const { rows } = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM profile_notes)::int + (SELECT count(*) FROM profile_order_tallies)::int AS n`.execute(t.ctx.db)
    expect(rows[0]?.n).toBe(0)
  })
})
