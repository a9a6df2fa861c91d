import RudderAnalytics from '@rudderstack/rudder-sdk-node'
import { Analytics as SegmentAnalytics } from '@segment/analytics-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

/**
 * The server SDKs customers already run, as they ship (no option changed but the host): each
 * sends a login, an order and a page view, and the same customer comes out with the same timeline
 * (those three, and the Profile Created the platform adds for a customer seen for the first time).
 */
describe('server SDKs as they ship', () => {
  const s = withOwnerApp()
  let host: string
  let writeKey: string

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'Backend', kind: 'server' })).json().writeKey
    await s.t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = s.t.app.server.address()
    host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })

  const timelineOf = async (userId: string) => {
    const profile = await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)
    expect(profile.statusCode, profile.body).toBe(200)
    const items = (await s.owner.get(`/api/v1/profiles/${profile.json().id}/timeline`)).json().items as Array<{
      type: string
      name: string | null
      sourceId: string | null
      properties: Record<string, unknown>
    }>
    return {
      traits: profile.json().traits as Record<string, unknown>,
      events: items.map((e) => `${e.type}:${e.name ?? ''}`).sort(),
      order: items.find((e) => e.name === 'Order Completed')?.properties,
      created: items.find((e) => e.name === 'Profile Created'),
    }
  }
  const expected = (userId: string) => ({
    traits: { name: `Name of ${userId}`, city: '重庆' },
    events: ['identify:', 'page:Checkout', 'track:Order Completed', 'track:Profile Created'],
    order: { order_id: `o-${userId}`, total: 8800, currency: 'CNY' },
    created: { sourceId: null, properties: {} },
  })

  it('takes @rudderstack/rudder-sdk-node batches (gzip on, sent as application/x-www-form-urlencoded)', async () => {
    const errors: unknown[] = []
    const client = new RudderAnalytics(writeKey, {
      dataPlaneUrl: host,
      flushAt: 10,
      flushInterval: 60_000,
      logLevel: 'error',
      errorHandler: (error: unknown) => errors.push(error),
    } as never)
    client.identify({ userId: 'rudder-1', traits: { name: 'Name of rudder-1', city: '重庆' } })
    client.track({ userId: 'rudder-1', event: 'Order Completed', properties: { order_id: 'o-rudder-1', total: 8800, currency: 'CNY' } })
    client.page({ userId: 'rudder-1', name: 'Checkout' })
    await client.flush()
    expect(errors).toEqual([])
    expect(await timelineOf('rudder-1')).toMatchObject(expected('rudder-1'))
  })

  it('takes @segment/analytics-node batches the same way', async () => {
    const errors: unknown[] = []
    const client = new SegmentAnalytics({ writeKey, host, flushAt: 10, maxRetries: 0 })
    client.on('error', (error) => errors.push(error))
    client.identify({ userId: 'segment-1', traits: { name: 'Name of segment-1', city: '重庆' } })
    client.track({ userId: 'segment-1', event: 'Order Completed', properties: { order_id: 'o-segment-1', total: 8800, currency: 'CNY' } })
    client.page({ userId: 'segment-1', name: 'Checkout' })
    await client.closeAndFlush({ timeout: 10_000 })
    expect(errors).toEqual([])
    expect(await timelineOf('segment-1')).toMatchObject(expected('segment-1'))
  })
})
