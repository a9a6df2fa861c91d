import type { ManualClock, SegmentNode } from '@reachloop/domain'
import { beforeAll, describe, expect, it } from 'vitest'
import { drainLog, settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { compileSegment } from './segment-sql.js'
import { workspaceZone } from './workspace-zone.js'

/** The `subscription` condition reads messaging's consent: what ingestion, the console and a policy say. */
describe('segments on consent', () => {
  const s = withOwnerApp()
  let writeKey: string
  const clock = () => s.t.ctx.clock as ManualClock
  const identify = (userId: string, traits: Record<string, unknown>) =>
    s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId, traits, timestamp: clock().now().toISOString() },
    })
  const profileOf = async (userId: string) => (await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${userId}`)).json().id as string
  const memberIds = async (segmentId: string) =>
    ((await s.owner.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ id: string }>).map((m) => m.id).sort()
  const create = async (name: string, definition: SegmentNode) => {
    const res = await s.owner.post('/api/v1/segments', { name, kind: 'dynamic', definition })
    expect(res.statusCode, res.body).toBe(201)
    await settle(s.t.ctx)
    return res.json().id as string
  }
  const groupId = async (key: string) =>
    ((await s.owner.get('/api/v1/messaging/subscription-groups')).json().items as Array<{ id: string; key: string }>).find(
      (g) => g.key === key,
    )!.id
  /** The stored members, which must equal a full computation of the definition now. */
  const exactMembers = async (segmentId: string, definition: SegmentNode) => {
    const stored = await memberIds(segmentId)
    const workspaceId = s.owner.workspaceId ?? ''
    const scope = { workspaceId, now: clock().now(), timeZone: await workspaceZone(s.t.ctx.db, workspaceId) }
    const { rows } = await compileSegment(definition, scope).execute(s.t.ctx.db)
    expect(stored).toEqual((rows as Array<{ id: string }>).map((r) => r.id).sort())
    return stored
  }

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
  })

  it('"SMS subscribed": opted in at ingestion, unsubscribed in the console, never asked (an opt-in group)', async () => {
    const smsSubscribed: SegmentNode = { kind: 'subscription', group: 'marketing_sms', state: 'subscribed' }
    // An older definition names the channel: the same group.
    const smsByChannel: SegmentNode = { kind: 'subscription', channel: 'sms', state: 'subscribed' }
    const emailSubscribed: SegmentNode = { kind: 'subscription', group: 'marketing_email', state: 'subscribed' }
    const sms = await create('SMS subscribed', smsSubscribed)
    const byChannel = await create('SMS subscribed (by channel)', smsByChannel)
    const email = await create('Email subscribed', emailSubscribed)

    for (const [userId, traits] of [
      ['consent-yes', { name: 'Yes', sms_subscribe: 'opted_in' }],
      ['consent-later-no', { name: 'Later no', sms_subscribe: 'subscribed' }],
      ['consent-never', { name: 'Never asked' }],
    ] as const)
      expect((await identify(userId, traits)).statusCode).toBe(200)
    await settle(s.t.ctx)
    const [yes, laterNo, never] = [await profileOf('consent-yes'), await profileOf('consent-later-no'), await profileOf('consent-never')]
    expect(await exactMembers(sms, smsSubscribed)).toEqual([yes, laterNo].sort())
    expect(await exactMembers(byChannel, smsByChannel)).toEqual([yes, laterNo].sort())
    // Opt-out: everyone who has not said no.
    expect(await exactMembers(email, emailSubscribed)).toEqual([yes, laterNo, never].sort())

    // The trait set consent and is not kept on the profile: one source of truth.
    const profile = (await s.owner.get(`/api/v1/profiles/${yes}`)).json() as { traits: Record<string, unknown> }
    expect(profile.traits).toEqual({ name: 'Yes' })
    const consents = (await s.owner.get(`/api/v1/profiles/${yes}/consents`)).json().items as Array<{
      key: string
      state: string | null
      source: string | null
    }>
    expect(consents.find((c) => c.key === 'marketing_sms')).toMatchObject({ state: 'opted_in', source: 'ingestion' })

    // Unsubscribed in the console: out at the consumer's next poll (the incremental path, no full computation).
    clock().advance(60_000)
    const put = await s.owner.request({
      method: 'PUT',
      url: `/api/v1/profiles/${laterNo}/consents/${await groupId('marketing_sms')}`,
      payload: { state: 'unsubscribed' },
    })
    expect(put.statusCode, put.body).toBe(200)
    await drainLog(s.t.ctx)
    expect(await exactMembers(sms, smsSubscribed)).toEqual([yes])
    expect(await exactMembers(byChannel, smsByChannel)).toEqual([yes])
    const timeline = (await s.owner.get(`/api/v1/profiles/${laterNo}/timeline`)).json().items as Array<{
      name: string
      properties: Record<string, unknown>
    }>
    expect(timeline.find((e) => e.name === 'Subscription Changed' && e.properties.state === 'unsubscribed')?.properties).toMatchObject({
      group: 'marketing_sms',
      channel: 'sms',
      source: 'console',
    })

    // Opting in again at ingestion brings them back; an email unsubscribe moves only the email segment.
    clock().advance(60_000)
    expect((await identify('consent-later-no', { sms_subscribe: 'opted_in', email_subscribe: 'unsubscribed' })).statusCode).toBe(200)
    await settle(s.t.ctx)
    expect(await exactMembers(sms, smsSubscribed)).toEqual([yes, laterNo].sort())
    expect(await exactMembers(email, emailSubscribed)).toEqual([yes, never].sort())

    // The policy decides who is reachable: SMS made opt-out reaches the one never asked, at once.
    const patch = await s.owner.request({
      method: 'PATCH',
      url: `/api/v1/messaging/subscription-groups/${await groupId('marketing_sms')}`,
      payload: { policy: 'opt_out' },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    expect(await exactMembers(sms, smsSubscribed)).toEqual([yes, laterNo, never].sort())
    expect(await exactMembers(byChannel, smsByChannel)).toEqual([yes, laterNo, never].sort())
  })

  it('refuses a condition on a group the workspace does not have', async () => {
    const res = await s.owner.post('/api/v1/segments', {
      name: 'Nowhere',
      kind: 'dynamic',
      definition: { kind: 'subscription', group: 'no_such_group', state: 'subscribed' },
    })
    expect(res.statusCode, res.body).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'SUBSCRIPTION_GROUP_NOT_FOUND', details: { groups: ['no_such_group'] } })
  })
})
