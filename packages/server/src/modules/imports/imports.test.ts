import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobWorker } from '../../platform/jobs/job-worker.js'
import { registerJobHandlers } from '../../runtime/job-handlers.js'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('imports', () => {
  const s = withOwnerApp()
  let sourceId: string
  let worker: JobWorker
  beforeAll(async () => {
    sourceId = (await s.owner.post('/api/v1/sources', { name: 'History', kind: 'server' })).json().id
    worker = new JobWorker(s.t.ctx.jobs, { concurrency: 2, leaseMs: 30_000, pollMs: 20 })
    registerJobHandlers(worker, s.t.ctx)
    worker.start()
  })
  afterAll(() => worker.stop())

  const upload = (body: string, format: 'csv' | 'jsonl', fileName: string) =>
    s.owner.request({
      method: 'POST',
      url: `/api/v1/imports?format=${format}&fileName=${fileName}`,
      headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      payload: body,
    })
  const finished = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const current = (await s.owner.get(`/api/v1/imports/${id}`)).json()
      if (current.status === 'done' || current.status === 'failed') return current
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('import did not finish')
  }

  const profilesCsv =
    '\uFEFFmember_no,mobile,full name,city\nM001,13800001001,"Li, Wei",Chongqing\nM002,13800001002,Wang Fang,Chengdu\nM003,,Zhao Min,Chongqing\n'

  it('uploads a CSV, shows its columns and first rows, and imports profiles with a mapping', async () => {
    const uploaded = await upload(profilesCsv, 'csv', 'members.csv')
    expect(uploaded.statusCode).toBe(201)
    expect(uploaded.json()).toMatchObject({
      status: 'uploaded',
      columns: ['member_no', 'mobile', 'full name', 'city'],
      fileName: 'members.csv',
    })
    expect(uploaded.json().preview[0]).toEqual({ member_no: 'M001', mobile: '13800001001', 'full name': 'Li, Wei', city: 'Chongqing' })
    const started = await s.owner.post(`/api/v1/imports/${uploaded.json().id}/start`, {
      kind: 'profiles',
      sourceId,
      mapping: { userId: 'member_no', traits: { phone: 'mobile', name: 'full name', city: 'city' } },
    })
    expect(started.json().status).toBe('queued')
    const done = await finished(uploaded.json().id)
    expect(done).toMatchObject({ status: 'done', processedRows: 3, accepted: 3, rejected: 0 })
    expect(done.processedBytes).toBe(done.fileBytes)
    const profile = (await s.owner.get('/api/v1/profiles/by-identifier/phone/13800001001')).json()
    expect(profile.traits).toMatchObject({ name: 'Li, Wei', city: 'Chongqing' })
    expect(profile.identifiers.map((i: { type: string }) => i.type).sort()).toEqual(['phone', 'user_id'])
  })

  it('adds nothing when the same file is imported again', async () => {
    const again = (await upload(profilesCsv, 'csv', 'members-again.csv')).json()
    await s.owner.post(`/api/v1/imports/${again.id}/start`, {
      kind: 'profiles',
      sourceId,
      mapping: { userId: 'member_no', traits: { phone: 'mobile', name: 'full name' } },
    })
    expect(await finished(again.id)).toMatchObject({ status: 'done', accepted: 0, duplicates: 3 })
  })

  it('refuses a row whose mapped phone or email is not one, and counts it in Refused', async () => {
    const csv = 'member_no,mobile,mail\nV001,not-a-phone,v1@example.com\nV002,13800002002,not-an-email\nV003,13800002003,v3@example.com\n'
    const uploaded = (await upload(csv, 'csv', 'bad-contacts.csv')).json()
    await s.owner.post(`/api/v1/imports/${uploaded.id}/start`, {
      kind: 'profiles',
      sourceId,
      mapping: { userId: 'member_no', traits: { phone: 'mobile', email: 'mail' } },
    })
    expect(await finished(uploaded.id)).toMatchObject({ status: 'done', processedRows: 3, accepted: 1, rejected: 2 })
    const report = (await s.owner.get(`/api/v1/imports/${uploaded.id}/errors`)).body.trim().split('\n')
    expect(report.slice(1)).toEqual([
      expect.stringMatching(/^1,"?traits\.phone: ""not-a-phone"" is not a phone number/),
      expect.stringMatching(/^2,"?traits\.email: ""not-an-email"" is not an email address/),
    ])
    expect((await s.owner.get('/api/v1/profiles/by-identifier/user_id/V001')).statusCode).toBe(404)
    expect((await s.owner.get('/api/v1/profiles/by-identifier/user_id/V003')).json().traits).toMatchObject({ phone: '13800002003' })
  })

  it('imports historical orders from JSONL and reports each refused row with its reason', async () => {
    const lines = [
      { order: { no: 'SO-1', amount: '12800' }, member: 'M001', paid_at: '2025-06-01T10:00:00Z', store: 'cq-1' },
      { order: { no: 'SO-2', amount: '8800' }, member: 'M002', paid_at: '2025-07-02T10:00:00Z', store: 'cd-2' },
      { order: { no: 'SO-3', amount: '500' }, paid_at: '2025-07-03T10:00:00Z' },
    ].map((l) => JSON.stringify(l))
    const file = `${lines[0]}\n{not json\n${lines[1]}\n${lines[2]}\n`
    const uploaded = (await upload(file, 'jsonl', 'orders.jsonl')).json()
    expect(uploaded.columns).toEqual(expect.arrayContaining(['order.no', 'order.amount', 'member', 'paid_at']))
    await s.owner.post(`/api/v1/imports/${uploaded.id}/start`, {
      kind: 'events',
      sourceId,
      mapping: {
        userId: 'member',
        eventName: 'Order Completed',
        timestamp: 'paid_at',
        messageId: 'order.no',
        properties: { order_id: 'order.no', total: 'order.amount', store_id: 'store' },
      },
    })
    const done = await finished(uploaded.id)
    expect(done).toMatchObject({ status: 'done', processedRows: 4, accepted: 2, rejected: 2 })
    const timeline = (
      await s.owner.get(`/api/v1/profiles/${(await s.owner.get('/api/v1/profiles/by-identifier/user_id/M001')).json().id}/timeline`)
    ).json().items
    const order = timeline.find((e: { name: string }) => e.name === 'Order Completed')
    expect(order).toMatchObject({ timestamp: '2025-06-01T10:00:00.000Z', properties: { order_id: 'SO-1', total: 12800, store_id: 'cq-1' } })
    const report = await s.owner.get(`/api/v1/imports/${uploaded.id}/errors`)
    expect(report.headers['content-type']).toContain('text/csv')
    const lines2 = report.body.trim().split('\n')
    expect(lines2[0]).toBe('row,reason,raw')
    expect(lines2[1]).toMatch(/^2,the line is not JSON/)
    expect(lines2[2]).toMatch(/^4,userId or anonymousId is required/)
  })

  it('refuses a mapping that ties rows to no customer, and a file that is not what it claims', async () => {
    const uploaded = (await upload(profilesCsv, 'csv', 'x.csv')).json()
    const bad = await s.owner.post(`/api/v1/imports/${uploaded.id}/start`, {
      kind: 'profiles',
      sourceId,
      mapping: { traits: { city: 'city' } },
    })
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'INVALID_MAPPING'])
    expect((await s.owner.get(`/api/v1/imports/${uploaded.id}`)).json().status).toBe('uploaded')
    const garbage = await upload('this is not json\n', 'jsonl', 'bad.jsonl')
    expect([garbage.statusCode, garbage.json().error.code]).toEqual([400, 'INVALID_FILE'])
  })

  it('imports the rows of a file that holds NUL characters, reporting the rows that carry one', async () => {
    const withNulHeader = await upload('member_no,no\u0000te\nN000,x\n', 'csv', 'nul-header.csv')
    expect(withNulHeader.statusCode, withNulHeader.body).toBe(201)
    expect(withNulHeader.json().columns).toEqual(['member_no', 'no\ufffdte'])
    const uploaded = await upload('member_no,mobile,note\nN001,13800002001,fine\nN002,13800002002,bad\u0000cell\n', 'csv', 'nul.csv')
    expect(uploaded.statusCode, uploaded.body).toBe(201)
    const started = await s.owner.post(`/api/v1/imports/${uploaded.json().id}/start`, {
      kind: 'profiles',
      sourceId,
      mapping: { userId: 'member_no', traits: { phone: 'mobile', note: 'note' } },
    })
    expect(started.statusCode, started.body).toBe(200)
    const done = await finished(uploaded.json().id)
    expect(done).toMatchObject({ status: 'done', processedRows: 2, accepted: 1, rejected: 1 })
    const report = (await s.owner.get(`/api/v1/imports/${uploaded.json().id}/errors`)).body.trim().split('\n')
    expect(report[1]).toMatch(/^2,.*NUL/)
  })
})
