import { beforeAll, describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('identity settings, manual merge and quarantine replay', () => {
  const s = withOwnerApp()
  let track: (path: string, payload: unknown) => Promise<{ statusCode: number; json: () => { accepted: number } }>
  const profileBy = async (type: string, value: string) =>
    s.owner.get(`/api/v1/profiles/by-identifier/${type}/${encodeURIComponent(value)}`)

  beforeAll(async () => {
    const { writeKey } = (await s.owner.post('/api/v1/sources', { name: 'Shop', kind: 'shop' })).json()
    track = (path, payload) =>
      s.t.app.inject({
        method: 'POST',
        url: `/v1/${path}`,
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        payload: payload as Record<string, unknown>,
      })
  })

  it("dates an identifier by the first event that carried it, as the profile's first seen is", async () => {
    await track('batch', {
      batch: [
        { type: 'track', userId: 'history-1', event: 'Store Visited', timestamp: '2025-03-01T08:00:00Z' },
        { type: 'identify', userId: 'history-1', traits: { phone: '13800007001' }, timestamp: '2025-05-10T08:00:00Z' },
      ],
    })
    const profile = (await profileBy('user_id', 'history-1')).json()
    expect(profile.firstSeenAt).toBe('2025-03-01T08:00:00.000Z')
    const seen = Object.fromEntries(profile.identifiers.map((i: { type: string; firstSeenAt: string }) => [i.type, i.firstSeenAt]))
    expect(seen).toEqual({ user_id: '2025-03-01T08:00:00.000Z', phone: '2025-05-10T08:00:00.000Z' })
  })

  it('lists the standard identifier types by priority and takes a custom one from externalIds', async () => {
    const types = (await s.owner.get('/api/v1/identity/types')).json().items
    expect(types[0]).toMatchObject({ type: 'user_id', priority: 100, maxPerProfile: 1, standard: true })
    const set = await s.owner.request({
      method: 'PUT',
      url: '/api/v1/identity/types/member_card',
      payload: { priority: 85, maxPerProfile: 2 },
    })
    expect(set.json()).toMatchObject({ type: 'member_card', priority: 85, standard: false })
    await track('identify', {
      anonymousId: 'card-visitor',
      context: { externalIds: [{ type: 'member_card', id: 'MC-0001', collection: 'users' }] },
    })
    expect(
      (await profileBy('member_card', 'MC-0001'))
        .json()
        .identifiers.map((i: { type: string }) => i.type)
        .sort(),
    ).toEqual(['anonymous_id', 'member_card'])
    const [entry] = (await s.owner.get('/api/v1/audit-log?action=identity.set_type')).json().items
    expect(entry.after.priority).toBe(85)
  })

  it('never matches on a blocked value (a shared store tablet)', async () => {
    await s.owner.request({
      method: 'PUT',
      url: '/api/v1/identity/types/device_id',
      payload: { priority: 30, maxPerProfile: 20, blockedValues: ['store-tablet'] },
    })
    await track('identify', { userId: 'tablet-user-1', context: { device: { id: 'store-tablet' } } })
    await track('identify', { userId: 'tablet-user-2', context: { device: { id: 'store-tablet' } } })
    const first = (await profileBy('user_id', 'tablet-user-1')).json()
    expect(first.identifiers.map((i: { type: string }) => i.type)).toEqual(['user_id'])
    expect((await profileBy('device_id', 'store-tablet')).statusCode).toBe(404)
  })

  it('merges two profiles by hand, and refuses when it would give one profile two user ids', async () => {
    await track('track', { anonymousId: 'offline-1', event: 'Store Visited' })
    await track('track', { userId: 'online-1', event: 'Order Completed' })
    const offline = (await profileBy('anonymous_id', 'offline-1')).json()
    const online = (await profileBy('user_id', 'online-1')).json()
    const merged = await s.owner.post(`/api/v1/profiles/${offline.id}/merge`, { intoProfileId: online.id })
    expect(merged.statusCode).toBe(200)
    expect(merged.json().id).toBe(online.id)
    // The two customers' events, each profile's Profile Created, and the Profiles Merged of this merge.
    expect(merged.json().eventCount).toBe(5)
    expect(merged.json().merges[0]).toMatchObject({ fromProfileId: offline.id, actor: 'owner@example.com' })
    const mergeEvents = (await s.owner.get(`/api/v1/profiles/${online.id}/timeline?name=${encodeURIComponent('Profiles Merged')}`)).json()
      .items
    expect(mergeEvents).toEqual([
      expect.objectContaining({
        type: 'track',
        sourceId: null,
        timestamp: merged.json().merges[0].mergedAt,
        properties: { merged_profile_id: offline.id, by: 'hand' },
      }),
    ])
    const refused = await s.owner.post(`/api/v1/profiles/${(await profileBy('user_id', 'tablet-user-1')).json().id}/merge`, {
      intoProfileId: online.id,
    })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('MERGE_REFUSED')
    expect(refused.json().error.message).toContain('user_id')
  })

  it('replays a quarantined event once corrected, and keeps it when it is still wrong', async () => {
    const bad = await track('track', { userId: 'late-fix', properties: { total: 100 } })
    expect(bad.statusCode).toBe(400)
    const [quarantined] = (await s.owner.get('/api/v1/quarantine?limit=1')).json().items
    const still = await s.owner.post(`/api/v1/quarantine/${quarantined.id}/replay`, {})
    expect(still.json().error.code).toBe('INVALID_EVENT')
    const fixed = await s.owner.post(`/api/v1/quarantine/${quarantined.id}/replay`, {
      payload: { ...quarantined.payload, event: 'Order Completed' },
    })
    expect(fixed.json()).toEqual({ accepted: 1, duplicates: 0 })
    // The replayed order, and the Profile Created of the customer it was the first event of.
    const replayed = (await profileBy('user_id', 'late-fix')).json()
    expect(replayed.eventCount).toBe(2)
    const timeline = (await s.owner.get(`/api/v1/profiles/${replayed.id}/timeline`)).json().items
    expect(timeline.map((e: { name: string }) => e.name).sort()).toEqual(['Order Completed', 'Profile Created'])
    expect((await s.owner.get('/api/v1/quarantine?limit=1')).json().items[0].replayedAt).not.toBeNull()
    expect((await s.owner.post(`/api/v1/quarantine/${quarantined.id}/replay`, {})).statusCode).toBe(404)
  })
})
