import { describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('jobs in the admin API', () => {
  const s = withOwnerApp()

  const deadJob = async (queue: string, error: string) => {
    const [id] = await s.t.ctx.jobs.enqueue({
      queue,
      workspaceId: s.owner.workspaceId ?? null,
      maxAttempts: 1,
      payload: { to: '+8613800000000' },
    })
    const [claimed] = await s.t.ctx.jobs.claim('test-worker', [queue], 1, 30_000)
    expect(claimed?.id).toBe(id)
    expect(await s.t.ctx.jobs.fail(claimed!, error)).toBe('dead')
    return String(id)
  }

  it('counts jobs per queue by state', async () => {
    const workspaceId = s.owner.workspaceId ?? null
    const now = s.t.clock.now()
    await deadJob('email.send', 'SMTP 550 mailbox unavailable')
    await s.t.ctx.jobs.enqueue([
      { queue: 'sms.send', workspaceId },
      { queue: 'sms.send', workspaceId },
      { queue: 'sms.send', workspaceId, runAt: new Date(now.getTime() + 3_600_000) },
      { queue: 'email.send', workspaceId },
    ])
    const queues = (await s.owner.get('/api/v1/jobs/queues')).json().items
    expect(queues).toEqual([
      { queue: 'email.send', due: 1, scheduled: 0, retrying: 0, running: 0, dead: 1, done: 0 },
      { queue: 'sms.send', due: 2, scheduled: 1, retrying: 0, running: 0, dead: 0, done: 0 },
    ])
  })

  it('lists dead jobs with their last error, filtered by queue and state', async () => {
    const res = (await s.owner.get('/api/v1/jobs?state=dead&queue=email.send')).json()
    expect(res.items).toHaveLength(1)
    expect(res.items[0]).toMatchObject({ queue: 'email.send', state: 'dead', attempts: 1, maxAttempts: 1 })
    expect(res.items[0].lastError).toContain('SMTP 550')
  })

  it('retries a dead job: queued again with fresh attempts, error kept, change audited', async () => {
    const id = await deadJob('webhook.deliver', 'connect ECONNREFUSED')
    const res = await s.owner.post(`/api/v1/jobs/${id}/retry`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id, state: 'queued', attempts: 0, lastError: expect.stringContaining('ECONNREFUSED') })
    const [claimed] = await s.t.ctx.jobs.claim('test-worker', ['webhook.deliver'], 1, 30_000)
    expect(String(claimed?.id)).toBe(id)
    const [entry] = (await s.owner.get(`/api/v1/audit-log?action=job.retry&entityId=${id}`)).json().items
    expect(entry.before).toEqual({ state: 'dead', attempts: 1 })
  })

  it('refuses to retry a job that is not dead with 409 JOB_NOT_RETRYABLE', async () => {
    const [id] = await s.t.ctx.jobs.enqueue({ queue: 'sms.send', workspaceId: s.owner.workspaceId ?? null })
    const res = await s.owner.post(`/api/v1/jobs/${id}/retry`)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('JOB_NOT_RETRYABLE')
    expect((await s.owner.post('/api/v1/jobs/987654/retry')).statusCode).toBe(404)
  })
})
