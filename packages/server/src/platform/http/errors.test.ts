import { describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'

describe('bad input', () => {
  const s = withOwnerApp()

  it('answers malformed JSON with 400 INVALID_JSON and stores nothing', async () => {
    const res = await s.owner.request({
      method: 'POST',
      url: '/api/v1/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('INVALID_JSON')
    expect(res.headers['x-request-id']).toBe(res.json().error.requestId)
    const users = await s.owner.get('/api/v1/users')
    expect(users.json().items).toHaveLength(1)
  })

  it('answers a wrong type with 400 VALIDATION_FAILED naming the field', async () => {
    const res = await s.owner.post('/api/v1/users', { email: 'm@example.com', name: 42, role: 'marketer', password: 'password-1' })
    expect(res.statusCode).toBe(400)
    const { error } = res.json()
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('body.name')
    expect(error.details.fields).toEqual([{ field: 'body.name', message: 'must be string' }])
  })

  it('names a missing field and an unknown one', async () => {
    const res = await s.owner.post('/api/v1/users', { email: 'm@example.com', role: 'marketer', colour: 'red' })
    expect(res.statusCode).toBe(400)
    const fields = res.json().error.details.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.colour']))
  })

  it('names a query parameter of the wrong type', async () => {
    const res = await s.owner.get('/api/v1/audit-log?limit=lots')
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.fields[0].field).toBe('query.limit')
  })

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await s.owner.get('/api/v1/no-such-thing')
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND')
  })

  it('answers no credentials with 401 UNAUTHENTICATED', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/v1/users' })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('UNAUTHENTICATED')
  })

  it('answers an unknown bearer token with 401', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: 'Bearer rl_nope_nope' } })
    expect(res.statusCode).toBe(401)
  })

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await s.owner.post('/api/v1/users', { email: 'big@example.com', name: 'x'.repeat(2 * 1024 * 1024), role: 'marketer' })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers a form-encoded body with 415', async () => {
    const res = await s.owner.request({
      method: 'POST',
      url: '/api/v1/users',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a',
    })
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('refuses timestamps outside years 0001–9999, naming the field, and takes those at the edges', async () => {
    for (const from of [
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00%2B01:00',
      '9999-12-31T23:59:59-01:00',
      '%2B275000-01-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
    ]) {
      const res = await s.owner.get(`/api/v1/audit-log?from=${from}`)
      expect([from, res.statusCode, res.json().error?.details.fields[0].field]).toEqual([from, 400, 'query.from'])
    }
    expect((await s.owner.get('/api/v1/audit-log?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z')).statusCode).toBe(200)
    const window = { type: 'between', from: '0000-06-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }
    const body = await s.owner.post('/api/v1/segments/preview', {
      definition: { kind: 'source', sourceId: '00000000-0000-4000-8000-000000000000', window },
    })
    expect([body.statusCode, body.json().error.details.fields.map((f: { field: string }) => f.field)]).toEqual([
      400,
      expect.arrayContaining(['body.definition.window.from']),
    ])
  })

  it('refuses a numeric id past what the database holds with 400, not a failed query', async () => {
    const res = await s.owner.post('/api/v1/jobs/9999999999999999999/retry')
    expect([res.statusCode, res.json().error.details.fields[0].field]).toEqual([400, 'params.id'])
  })

  it('starts from the first page when a cursor does not decode, whatever it holds', async () => {
    for (const cursor of [
      '2024-01-01T00:00:00.000Z|not-a-uuid',
      '0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000',
      '3|x',
      '99999999999999999999',
    ]) {
      for (const url of ['/api/v1/profiles', '/api/v1/audit-log', '/api/v1/jobs', '/api/v1/quarantine']) {
        const res = await s.owner.get(`${url}?cursor=${encodeURIComponent(cursor)}`)
        expect([url, cursor, res.statusCode]).toEqual([url, cursor, 200])
      }
    }
  })

  it('keeps a request id given by the client', async () => {
    const res = await s.owner.request({ method: 'GET', url: '/api/v1/users', headers: { 'x-request-id': 'trace-123' } })
    expect(res.headers['x-request-id']).toBe('trace-123')
  })
})
