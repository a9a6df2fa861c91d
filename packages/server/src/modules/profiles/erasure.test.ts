import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('erasure (PIPL / GDPR)', () => {
  const s = withOwnerApp()
  let send: (payload: unknown) => Promise<{ accepted: number; suppressed: number }>

  beforeAll(async () => {
    const { writeKey } = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json()
    send = async (payload) =>
      (
        await s.t.app.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
          payload: payload as Record<string, unknown>,
        })
      ).json()
  })

  /** Every row of every table whose text holds one of `needles`. */
  const scan = async (needles: string[]) => {
    const tables = await sql<{
      table_name: string
    }>`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(
      s.t.ctx.db,
    )
    const found: Array<{ table: string; row: string }> = []
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table_name)} AS t`.execute(s.t.ctx.db)
      for (const r of rows.rows) if (needles.some((n) => r.row.includes(n))) found.push({ table: table_name, row: r.row })
    }
    return found
  }

  it('leaves nothing of the profile in any table, suppresses its identifiers, and keeps other customers', async () => {
    await send({
      batch: [
        { type: 'page', anonymousId: 'erase-anon-1', name: 'Home' },
        { type: 'track', anonymousId: 'erase-anon-2', event: 'Product Viewed' },
        {
          type: 'identify',
          anonymousId: 'erase-anon-1',
          userId: 'erase-user',
          traits: { phone: '13800009999', email: 'zhao.lei@example.com', name: 'Zhao Lei' },
        },
        { type: 'alias', anonymousId: 'erase-anon-2', previousId: 'erase-anon-2', userId: 'erase-user' },
        { type: 'track', userId: 'erase-user', event: 'Order Completed', properties: { total: 9900 } },
        { type: 'track', userId: 'keep-user', event: 'Order Completed', traits: { name: 'Keep Me' } },
        // An invalid event naming the customer: quarantined, and erased with them.
        { type: 'track', userId: 'erase-user', context: { traits: { phone: '13800009999' } } },
      ],
    })
    const profile = (await s.owner.get('/api/v1/profiles/by-identifier/user_id/erase-user')).json()
    expect(profile.merges.length).toBe(1)
    // In a segment: a membership, its history and a Segment Entered event in the log.
    const segment = (await s.owner.post('/api/v1/segments', { name: 'Erase VIPs', kind: 'static' })).json()
    expect(
      (
        await s.owner.post(`/api/v1/segments/${segment.id}/members`, { mode: 'append', identifierType: 'user_id', values: ['erase-user'] })
      ).json(),
    ).toMatchObject({ entered: 1 })
    // A computed value: kept per profile, erased with it.
    const orders = (
      await s.owner.post('/api/v1/computed-properties', {
        name: 'orders_ever',
        definition: { kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'count' },
      })
    ).json()
    expect((await s.owner.post(`/api/v1/computed-properties/${orders.id}/compute`)).json()).toMatchObject({ profiles: 2 })
    const memberIds = [profile.id, ...profile.merges.map((m: { fromProfileId: string }) => m.fromProfileId)]
    const needles = [
      ...memberIds,
      'erase-anon-1',
      'erase-anon-2',
      'erase-user',
      '+8613800009999',
      '13800009999',
      'zhao.lei@example.com',
      'Zhao Lei',
    ]
    expect((await scan(needles)).length).toBeGreaterThan(5)

    const res = await s.owner.delete(`/api/v1/profiles/${profile.id}`)
    expect(res.statusCode).toBe(200)
    // Events: the customer's five accepted calls, the Segment Entered, one Profile Created (the second
    // anonymous profile was born and merged away in the same batch) and the Profiles Merged of that merge.
    expect(res.json()).toEqual({ erasedProfiles: 2, erasedEvents: 8, suppressedIdentifiers: 5 })

    expect((await s.owner.get(`/api/v1/segments/${segment.id}`)).json().size).toBe(0)
    const left = await scan(needles)
    // Only the audit entry that an erasure happened remains, naming the profile id and no personal data.
    expect(left.map((l) => l.table)).toEqual(['audit_log'])
    expect(left[0]?.row).toContain('profile.erase')
    expect(needles.slice(1).filter((n) => n !== profile.id && left[0]?.row.includes(n))).toEqual([])

    // Nothing about them is ingested again, by any of their identifiers.
    const again = await send({
      batch: [
        { type: 'identify', userId: 'new-id', traits: { email: 'Zhao.Lei@example.com' } },
        { type: 'track', anonymousId: 'erase-anon-1', event: 'Home' },
      ],
    })
    expect(again).toMatchObject({ accepted: 0, suppressed: 2 })
    expect((await s.owner.get('/api/v1/profiles/by-identifier/user_id/new-id')).statusCode).toBe(404)
    // Other customers are untouched.
    expect((await s.owner.get('/api/v1/profiles/by-identifier/user_id/keep-user')).statusCode).toBe(200)
  })
})
