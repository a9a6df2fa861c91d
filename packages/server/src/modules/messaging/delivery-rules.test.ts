import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MessagingSettings } from '@reachloop/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_ENTRY } from '../../testing.js'
import { startRecordingServer, type RecordingServer } from '../../test-support/recording-server.js'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'

const NO_QUIET: MessagingSettings['quietHours'] = { enabled: false, start: '21:00', end: '08:00', action: 'delay' }

/** Consent, frequency caps and quiet hours, on a manual clock, for customers in Shanghai and New York. */
describe('the rules every marketing message passes', () => {
  const s = withOwnerApp()
  let receiver: RecordingServer
  let writeKey = ''
  let templateId = ''
  const profiles: Record<string, string> = {}
  let sequence = 0

  const settings = (body: MessagingSettings) => s.owner.put('/api/v1/messaging/settings', body)
  const send = async (who: string, template = templateId) => {
    const r = await s.owner.post('/api/v1/messaging/send', {
      templateId: template,
      profileId: profiles[who],
      idempotencyKey: `rules-${sequence++}`,
    })
    expect(r.statusCode, r.body).toBe(201)
    return r.json().messageId as string
  }
  const outcome = async (id: string) => {
    const m = (await s.owner.get(`/api/v1/messaging/messages/${id}`)).json()
    return m.status === 'sent' ? 'sent' : `${m.status}:${m.reason}`
  }
  const at = async (iso: string) => {
    s.t.clock.set(new Date(iso))
    await settle(s.t.ctx)
  }

  beforeAll(async () => {
    receiver = await startRecordingServer(() => ({ body: { ok: true } }))
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    await s.owner.post('/api/v1/messaging/providers', {
      kind: 'webhook',
      name: 'Hook',
      config: { baseUrl: receiver.url, signingSecret: 'rules-test-signing-secret' },
    })
    for (const [userId, timezone] of [
      ['shanghai', 'Asia/Shanghai'],
      ['newyork', 'America/New_York'],
    ] as const) {
      await s.t.app.inject({
        method: 'POST',
        url: '/v1/identify',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        payload: { userId, traits: { timezone } },
      })
    }
    await settle(s.t.ctx)
    for (const userId of ['shanghai', 'newyork'])
      profiles[userId] = (await s.owner.get(`/api/v1/profiles?search=${userId}`)).json().items[0].id
    const t = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Promo',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{"promo": true}' },
    })
    templateId = t.json().id
    await s.owner.post(`/api/v1/messaging/templates/${templateId}/publish`, {})
  })
  afterAll(() => receiver.close())

  it('count "one a day" in each customer’s own day: midnight in Shanghai starts a new day there, not in New York', async () => {
    await settings({ quietHours: NO_QUIET, caps: [{ channel: 'webhook', max: 1, per: 'day' }] })
    // 23:30 in Shanghai, 10:30 in New York.
    await at('2026-12-01T15:30:00Z')
    const first = { sh: await send('shanghai'), ny: await send('newyork') }
    await at('2026-12-01T15:31:00Z')
    expect([await outcome(first.sh), await outcome(first.ny)]).toEqual(['sent', 'sent'])
    // 23:50 / 10:50: both capped.
    await at('2026-12-01T15:50:00Z')
    const second = { sh: await send('shanghai'), ny: await send('newyork') }
    await at('2026-12-01T15:51:00Z')
    expect([await outcome(second.sh), await outcome(second.ny)]).toEqual(['suppressed:capped', 'suppressed:capped'])
    // 00:10 the next day in Shanghai; still 11:10 the same day in New York.
    await at('2026-12-01T16:10:00Z')
    const third = { sh: await send('shanghai'), ny: await send('newyork') }
    await at('2026-12-01T16:11:00Z')
    expect([await outcome(third.sh), await outcome(third.ny)]).toEqual(['sent', 'suppressed:capped'])
  })

  it('count a rolling 24 hours across channels, and leave transactional messages out of it', async () => {
    await settings({ quietHours: NO_QUIET, caps: [{ channel: 'all', max: 2, per: 'rolling_24h' }] })
    await at('2026-12-02T17:00:00Z')
    const ids = [await send('shanghai'), await send('shanghai'), await send('shanghai')]
    await at('2026-12-02T17:01:00Z')
    // Whichever two run first go; the third is capped.
    expect((await Promise.all(ids.map(outcome))).sort()).toEqual(['sent', 'sent', 'suppressed:capped'])
    const receipt = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Receipt',
      category: 'transactional',
      draft: { channel: 'webhook', body: '{"receipt": true}' },
    })
    await s.owner.post(`/api/v1/messaging/templates/${receipt.json().id}/publish`, {})
    const transactional = await send('shanghai', receipt.json().id)
    await at('2026-12-02T17:02:00Z')
    expect(await outcome(transactional)).toBe('sent')
    // 24 hours after the two were sent (at 17:01), the window has room again.
    await at('2026-12-03T17:01:01Z')
    const later = await send('shanghai')
    await at('2026-12-03T17:01:02Z')
    expect(await outcome(later)).toBe('sent')
  })

  it('hold a message in quiet hours until 08:00 local, or drop it, per the setting; each customer in their own zone', async () => {
    await settings({ quietHours: { enabled: true, start: '21:00', end: '08:00', action: 'delay' }, caps: [] })
    // 22:00 in Shanghai, 09:00 in New York.
    await at('2026-12-04T14:00:00Z')
    const held = await send('shanghai')
    const awake = await send('newyork')
    await at('2026-12-04T14:00:30Z')
    expect(await outcome(awake)).toBe('sent')
    const waiting = (await s.owner.get(`/api/v1/messaging/messages/${held}`)).json()
    expect(waiting).toMatchObject({ status: 'queued', reason: 'quiet_hours' })
    // 07:59 in Shanghai: still waiting; 08:00: sent.
    await at('2026-12-04T23:59:00Z')
    expect(await outcome(held)).toBe('queued:quiet_hours')
    await at('2026-12-05T00:00:00Z')
    expect(await outcome(held)).toBe('sent')

    await settings({ quietHours: { enabled: true, start: '21:00', end: '08:00', action: 'drop' }, caps: [] })
    await at('2026-12-05T15:00:00Z')
    const dropped = await send('shanghai')
    await at('2026-12-05T15:00:30Z')
    expect(await outcome(dropped)).toBe('suppressed:quiet_hours')
  })

  it('need explicit consent in an opt-in group, given or withdrawn per profile', async () => {
    await settings({ quietHours: NO_QUIET, caps: [] })
    const group = await s.owner.post('/api/v1/messaging/subscription-groups', {
      key: 'vip_offers',
      name: 'VIP offers',
      channel: 'webhook',
      policy: 'opt_in',
    })
    expect(group.statusCode, group.body).toBe(201)
    const vip = await s.owner.post('/api/v1/messaging/templates', {
      name: 'VIP',
      category: 'marketing',
      subscriptionGroupId: group.json().id,
      draft: { channel: 'webhook', body: '{"vip": true}' },
    })
    await s.owner.post(`/api/v1/messaging/templates/${vip.json().id}/publish`, {})
    await at('2026-12-06T04:00:00Z')
    const before = await send('shanghai', vip.json().id)
    await at('2026-12-06T04:00:10Z')
    expect(await outcome(before)).toBe('suppressed:no_consent')
    expect((await s.owner.put(`/api/v1/profiles/${profiles.shanghai}/consents/${group.json().id}`, { state: 'opted_in' })).statusCode).toBe(
      200,
    )
    const after = await send('shanghai', vip.json().id)
    await at('2026-12-06T04:00:20Z')
    expect(await outcome(after)).toBe('sent')
  })
})

/** Two worker processes on PostgreSQL send to one profile at once: the cap is counted under a lock, so it holds. */
describe('a frequency cap under two concurrent workers', () => {
  const s = withOwnerApp()
  let receiver: RecordingServer
  const children: ChildProcess[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-caps-'))
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    await receiver.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('lets exactly the capped number through when 40 sends to one customer race on two workers', async () => {
    // The workers run on the real clock: a weekday morning in Shanghai is not needed, quiet hours are off.
    receiver = await startRecordingServer(async () => {
      await new Promise((r) => setTimeout(r, 20))
      return { body: { ok: true } }
    })
    await s.owner.put('/api/v1/messaging/settings', { quietHours: NO_QUIET, caps: [{ channel: 'all', max: 3, per: 'rolling_24h' }] })
    await s.owner.post('/api/v1/messaging/providers', {
      kind: 'webhook',
      name: 'Hook',
      config: { baseUrl: receiver.url, signingSecret: 'caps-test-signing-secret' },
    })
    const writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    await s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'racer', traits: { first_name: 'R' } },
    })
    await settle(s.t.ctx)
    const profileId = (await s.owner.get('/api/v1/profiles?search=racer')).json().items[0].id
    const t = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Race',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{"race": true}' },
    })
    await s.owner.post(`/api/v1/messaging/templates/${t.json().id}/publish`, {})
    // Queued in the past of the real clock, so both workers find all 40 due at once; one job each.
    s.t.clock.set(new Date(Date.now() - 60_000))
    const ids: string[] = []
    for (let i = 0; i < 40; i++)
      ids.push(
        (await s.owner.post('/api/v1/messaging/send', { templateId: t.json().id, profileId, idempotencyKey: `race-${i}` })).json()
          .messageId,
      )
    const env = {
      ...process.env,
      DATABASE_URL: s.t.testDatabase.url,
      DATA_DIR: dataDir,
      SECRET_KEY: readFileSync(join(s.t.ctx.config.dataDir, 'secret.key'), 'utf8'),
      JOB_POLL_MS: '20',
      LOG_LEVEL: 'warn',
    }
    for (let i = 0; i < 2; i++)
      children.push(spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_ENTRY, 'worker'], { env, stdio: 'ignore' }))
    const deadline = Date.now() + 90_000
    let statuses: string[] = []
    while (Date.now() < deadline) {
      statuses = (await s.t.ctx.db.selectFrom('jobs').select('state').where('queue', '=', 'messaging.send').execute()).map((j) => j.state)
      if (statuses.length === 40 && statuses.every((x) => x === 'done')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const rows = await Promise.all(ids.map(async (id) => (await s.owner.get(`/api/v1/messaging/messages/${id}`)).json()))
    expect(rows.filter((m) => m.status === 'sent')).toHaveLength(3)
    expect(rows.filter((m) => m.status === 'suppressed' && m.reason === 'capped')).toHaveLength(37)
    expect(receiver.requests).toHaveLength(3)
  }, 120_000)
})
