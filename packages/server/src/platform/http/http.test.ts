import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { routes } from '@reachloop/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, withOwnerApp, type TestApp } from '../../test-support/test-app.js'

describe('OpenAPI document', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('documents every admin route with its schemas, at /api/docs/json next to the viewer at /api/docs', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json()
    expect(doc.openapi).toMatch(/^3\./)
    for (const contract of Object.values(routes)) {
      const path = contract.path.replace(/:([A-Za-z]+)/g, '{$1}')
      const operation = doc.paths[path]?.[contract.method.toLowerCase()]
      expect(operation, `${contract.method} ${path}`).toBeDefined()
      expect(operation.summary).toBe(contract.summary)
      expect(Object.keys(operation.responses)).toContain(String(contract.status ?? 200))
      if (contract.body) expect(operation.requestBody, `${contract.method} ${path} body`).toBeDefined()
      if (contract.access.kind !== 'public') expect(operation.security).toEqual([{ session: [] }, { bearer: [] }])
    }
    const viewer = await t.app.inject({ method: 'GET', url: '/api/docs' })
    expect([200, 302]).toContain(viewer.statusCode)
  })
})

describe('health and shutdown', () => {
  it('is alive and ready while serving; not ready (503) once shutdown begins', async () => {
    const t = await createTestApp()
    try {
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' })
      expect(ready.statusCode).toBe(200)
      expect(ready.json().checks).toEqual({ database: 'ok', migrations: 'ok', process: 'ok' })
      t.ctx.state.ready = false
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503)
      const refused = await t.app.inject({ method: 'GET', url: '/api/v1/setup' })
      expect(refused.statusCode).toBe(503)
      expect(refused.json().error.code).toBe('NOT_READY')
    } finally {
      await t.close()
    }
  })

  it('finishes a request in flight before closing', async () => {
    let release: () => void = () => undefined
    const t = await createTestApp(
      {},
      {
        beforeReady: (app) =>
          app.get('/api/v1/test-slow', async () => {
            await new Promise<void>((resolve) => (release = resolve))
            return { finished: true }
          }),
      },
    )
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/test-slow`).then(async (r) => ({ status: r.status, body: await r.json() }))
    await new Promise((r) => setTimeout(r, 100))
    const closing = t.app.close()
    setTimeout(() => release(), 200)
    const got = await inFlight
    expect(got).toEqual({ status: 200, body: { finished: true } })
    await closing
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
    await t.close()
  })
})

describe('security headers', () => {
  it('sends a content security policy and no-sniff on every response', async () => {
    const t = await createTestApp()
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/setup' })
      expect(res.headers['content-security-policy']).toContain("script-src 'self'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    } finally {
      await t.close()
    }
  })
})

describe('caching', () => {
  const s = withOwnerApp()

  it('marks every admin answer no-store: data, errors, unknown routes and CSV exports', async () => {
    const segment = (await s.owner.post('/api/v1/segments', { name: 'Cache test', kind: 'static' })).json()
    const answers = await Promise.all([
      s.owner.get('/api/v1/users'),
      s.owner.get(`/api/v1/segments/${segment.id}/members.csv`),
      s.t.app.inject({ method: 'GET', url: '/api/v1/users' }),
      s.owner.get('/api/v1/no-such-thing?x=1'),
      s.owner.post('/api/v1/users', { email: 'not an email' }),
    ])
    expect(answers.map((r) => [r.statusCode, r.headers['cache-control']])).toEqual([
      [200, 'no-store'],
      [200, 'no-store'],
      [401, 'no-store'],
      [404, 'no-store'],
      [400, 'no-store'],
    ])
  })

  it('leaves health checks, the tracking API and the console to their own caching', async () => {
    for (const url of ['/healthz', '/v1/batch', '/']) {
      const res = await s.t.app.inject({ method: url === '/v1/batch' ? 'POST' : 'GET', url })
      expect(res.headers['cache-control'], url).not.toBe('no-store')
    }
  })
})

describe("the console's files", () => {
  let t: TestApp
  const dir = mkdtempSync(join(tmpdir(), 'reachloop-console-'))
  const script = `console.log(${JSON.stringify('一个控制台 '.repeat(500))})`
  beforeAll(async () => {
    // A build as vite.config.ts leaves it: hashed assets with their .br and .gz beside them.
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-DHWK6PEp.js"></script>')
    writeFileSync(join(dir, 'assets', 'index-DHWK6PEp.js'), script)
    writeFileSync(join(dir, 'assets', 'index-DHWK6PEp.js.br'), brotliCompressSync(script))
    writeFileSync(join(dir, 'assets', 'index-DHWK6PEp.js.gz'), gzipSync(script))
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    t = await createTestApp({ consoleDir: dir })
  })
  afterAll(async () => {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const get = (url: string, acceptEncoding?: string) =>
    t.app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} })

  it('sends a hashed asset compressed as the browser accepts it, cached for a year as immutable', async () => {
    const br = await get('/assets/index-DHWK6PEp.js', 'gzip, deflate, br')
    const gz = await get('/assets/index-DHWK6PEp.js', 'gzip')
    const plain = await get('/assets/index-DHWK6PEp.js')
    expect([br, gz, plain].map((r) => [r.statusCode, r.headers['content-encoding'], r.headers['cache-control']])).toEqual([
      [200, 'br', 'public, max-age=31536000, immutable'],
      [200, 'gzip', 'public, max-age=31536000, immutable'],
      [200, undefined, 'public, max-age=31536000, immutable'],
    ])
    expect(br.headers['content-type']).toMatch(/^(text|application)\/javascript/)
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(br.rawPayload.length).toBeLessThan(script.length / 5)
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script)
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script)
    expect(plain.body).toBe(script)
  })

  it('has index.html, the pages it answers for and unhashed files asked for again each time', async () => {
    for (const url of ['/', '/index.html', '/segments/some-id', '/favicon.svg']) {
      const res = await get(url, 'gzip, br')
      expect([res.statusCode, res.headers['cache-control']], url).toEqual([200, 'no-cache'])
    }
    expect((await get('/segments/some-id')).body).toContain('/assets/index-DHWK6PEp.js')
  })

  it('keeps admin answers out of every cache', async () => {
    const res = await get('/api/v1/users', 'gzip, br')
    expect([res.statusCode, res.headers['cache-control']]).toEqual([401, 'no-store'])
  })
})

describe('paths the router refuses', () => {
  const s = withOwnerApp()

  it('answers a path that is not UTF-8 (a lone surrogate) in the error shape, naming the parameters', async () => {
    const res = await s.owner.get('/api/v1/profiles/%ED%A0%80')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'params', message: 'must be valid percent-encoded UTF-8' }] },
    })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-request-id']).toBe(res.json().error.requestId)
  })

  it('takes identifier values up to the 255 characters of the contract, and refuses longer parameters with 400', async () => {
    expect((await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${'u'.repeat(255)}`)).json().error.code).toBe('PROFILE_NOT_FOUND')
    const long = await s.owner.get(`/api/v1/profiles/by-identifier/user_id/${'u'.repeat(256)}`)
    expect([long.statusCode, long.json().error.details.fields[0].message]).toEqual([400, 'must not be longer than 255 characters'])
  })
})
