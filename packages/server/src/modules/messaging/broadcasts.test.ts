import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRecordingServer, type RecordingServer } from '../../test-support/recording-server.js'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { broadcastTick } from './broadcasts-service.js'

type Run = { state: string; progress: number; audienceSize: number; holdoutSize: number; sent: number; queued: number; suppressed: number }

describe('broadcasts', () => {
  const s = withOwnerApp()
  let receiver: RecordingServer
  let templateId = ''
  let segmentId = ''
  const AUDIENCE = 40

  const broadcast = async (id: string) =>
    (await s.owner.get(`/api/v1/broadcasts/${id}`)).json() as { state: string; nextRunAt: string | null; runs: Run[] }
  /** The scheduler's tick (a worker's recurring slot runs it every few seconds), then the jobs it starts. */
  const tick = async () => {
    await broadcastTick(s.t.ctx)
    await settle(s.t.ctx)
  }
  const create = async (body: Record<string, unknown>) => {
    const r = await s.owner.post('/api/v1/broadcasts', { templateId, segmentId, ...body })
    expect(r.statusCode, r.body).toBe(201)
    return r.json().id as string
  }

  beforeAll(async () => {
    s.t.clock.set(new Date('2026-12-01T02:00:00Z')) // 10:00 in Shanghai
    receiver = await startRecordingServer(() => ({ body: { ok: true } }))
    await s.owner.post('/api/v1/messaging/providers', {
      kind: 'webhook',
      name: 'Hook',
      config: { baseUrl: receiver.url, signingSecret: 'broadcast-signing-secret' },
    })
    await s.owner.put('/api/v1/messaging/settings', {
      quietHours: { enabled: false, start: '21:00', end: '08:00', action: 'delay' },
      caps: [],
    })
    const writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    const batch = Array.from({ length: AUDIENCE }, (_, i) => ({
      type: 'identify',
      userId: `b-${i}`,
      traits: { cohort: 'winter', timezone: i % 2 === 0 ? 'Asia/Shanghai' : 'Europe/London' },
    }))
    await s.t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { batch },
    })
    await settle(s.t.ctx)
    segmentId = (
      await s.owner.post('/api/v1/segments', {
        name: 'Winter',
        kind: 'dynamic',
        definition: { kind: 'trait', trait: 'cohort', type: 'string', op: 'equals', value: 'winter' },
      })
    ).json().id
    const t = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Winter sale',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{"sale": true}' },
    })
    templateId = t.json().id
    await s.owner.post(`/api/v1/messaging/templates/${templateId}/publish`, {})
    await settle(s.t.ctx)
  })
  afterAll(() => receiver.close())

  it('sends now to the audience frozen at start, minus a holdout chosen by hash, and reaches 100 %', async () => {
    const before = receiver.requests.length
    const id = await create({ name: 'Now', schedule: { kind: 'now' }, holdoutPercent: 25 })
    await settle(s.t.ctx)
    const b = await broadcast(id)
    const run = b.runs[0]
    expect(run).toMatchObject({ state: 'completed', progress: 100, audienceSize: AUDIENCE })
    expect(run?.holdoutSize).toBeGreaterThan(0)
    expect(run?.sent).toBe(AUDIENCE - (run?.holdoutSize ?? 0))
    expect(receiver.requests.length - before).toBe(run?.sent)
    expect(b.state).toBe('completed')
    // The log lists the broadcast's messages.
    const log = (await s.owner.get(`/api/v1/messaging/messages?broadcastId=${id}&limit=200`)).json()
    expect(log.items).toHaveLength(run?.sent ?? -1)
  })

  it('runs a one-off at its time, and sends at each customer’s local time when asked', async () => {
    const id = await create({ name: 'Local', schedule: { kind: 'once', at: '2026-12-01T03:00:00.000Z' }, localTime: true })
    await settle(s.t.ctx)
    expect((await broadcast(id)).runs).toHaveLength(0)
    // 11:00 in Shanghai: the run starts; Shanghai customers get it now, London customers at 11:00 London time (11:00Z).
    s.t.clock.set(new Date('2026-12-01T03:00:00Z'))
    await tick()
    let run = (await broadcast(id)).runs[0]
    expect(run).toMatchObject({ state: 'sending', sent: AUDIENCE / 2, queued: AUDIENCE / 2 })
    s.t.clock.set(new Date('2026-12-01T11:00:00Z'))
    await settle(s.t.ctx)
    run = (await broadcast(id)).runs[0]
    expect(run).toMatchObject({ state: 'completed', sent: AUDIENCE })
  })

  it('spreads a capped send rate, pauses and resumes without losing a message, and cancels what is left', async () => {
    s.t.clock.set(new Date('2026-12-02T02:00:00Z'))
    // 10 a minute: the 40 messages are due over four minutes.
    const id = await create({ name: 'Slow', schedule: { kind: 'now' }, ratePerMinute: 10 })
    await settle(s.t.ctx)
    expect((await broadcast(id)).runs[0]).toMatchObject({ sent: 1, queued: AUDIENCE - 1 })
    s.t.clock.advance(60_000)
    await settle(s.t.ctx)
    expect((await broadcast(id)).runs[0]?.sent).toBe(11)
    expect((await s.owner.post(`/api/v1/broadcasts/${id}/pause`, {})).json().state).toBe('paused')
    s.t.clock.advance(60_000)
    await settle(s.t.ctx)
    expect((await broadcast(id)).runs[0]).toMatchObject({ state: 'paused', sent: 11 })
    expect((await s.owner.post(`/api/v1/broadcasts/${id}/pause`, {})).json().error.code).toBe('BROADCAST_STATE')
    expect((await s.owner.post(`/api/v1/broadcasts/${id}/resume`, {})).statusCode).toBe(200)
    await settle(s.t.ctx)
    // Resumed at minute 2: everything due by then goes.
    expect((await broadcast(id)).runs[0]?.sent).toBe(21)
    const cancelled = (await s.owner.post(`/api/v1/broadcasts/${id}/cancel`, {})).json()
    expect(cancelled.state).toBe('cancelled')
    s.t.clock.advance(10 * 60_000)
    await settle(s.t.ctx)
    expect((await broadcast(id)).runs[0]).toMatchObject({ state: 'cancelled', sent: 21, suppressed: AUDIENCE - 21, queued: 0 })
  })

  it('repeats daily at its time in the workspace zone, one run per day', async () => {
    s.t.clock.set(new Date('2026-12-03T01:00:00Z')) // 09:00 in Shanghai
    const id = await create({ name: 'Daily', schedule: { kind: 'daily', time: '10:00' } })
    expect((await broadcast(id)).nextRunAt).toBe('2026-12-03T02:00:00.000Z')
    s.t.clock.set(new Date('2026-12-03T02:00:05Z'))
    await tick()
    s.t.clock.set(new Date('2026-12-04T02:00:05Z'))
    await tick()
    const b = await broadcast(id)
    expect(b.runs.map((r) => r.state)).toEqual(['completed', 'completed'])
    expect(b.nextRunAt).toBe('2026-12-05T02:00:00.000Z')
    expect(b.state).toBe('scheduled')
  })

  it('refuses a template that is not published, naming the field', async () => {
    const draft = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Unpublished',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{}' },
    })
    const r = await s.owner.post('/api/v1/broadcasts', { name: 'Bad', templateId: draft.json().id, segmentId, schedule: { kind: 'now' } })
    expect(r.statusCode).toBe(409)
    expect(r.json().error).toMatchObject({ code: 'TEMPLATE_NOT_PUBLISHED', details: { field: 'body.templateId' } })
  })

  it('keeps a template its broadcasts used, even once they are over, for their report', async () => {
    const r = await s.owner.delete(`/api/v1/messaging/templates/${templateId}`)
    expect(r.statusCode).toBe(409)
    expect(r.json().error.code).toBe('TEMPLATE_IN_USE')
    expect((await s.owner.get(`/api/v1/messaging/templates/${templateId}`)).statusCode).toBe(200)
  })
})
