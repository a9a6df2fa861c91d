import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, setupOwner, withOwnerApp } from '../../test-support/test-app.js'
import { BrowserSdkAssets, standaloneBundle } from './browser-sdk-assets.js'

describe('the browser SDK served by this server', () => {
  const s = withOwnerApp()
  let writeKey: string
  const get = (url: string, headers: Record<string, string> = {}) =>
    s.t.app.inject({ method: 'GET', url, headers: { origin: 'http://shop.example', ...headers } })

  beforeAll(async () => {
    writeKey = (await s.owner.post('/api/v1/sources', { name: 'Shop site', kind: 'web' })).json().writeKey
  })

  it('serves the script the Segment snippet loads, embeddable by a page on any origin', async () => {
    const res = await get(`/analytics.js/v1/${writeKey}/analytics.min.js`)
    expect(res.statusCode).toBe(200)
    expect(res.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=300',
    })
    // The package's standalone build, after a bootstrap that keeps it on this server.
    expect(res.body).toContain('_cdn')
    expect(res.body).toContain('analytics-next/bundles/')
    expect(res.body).not.toContain('api.segment.io')
    expect(res.body).not.toContain('sourceMappingURL')
  })

  it('gzips the script for browsers that accept it and revalidates it by ETag', async () => {
    const plain = await get(`/analytics.js/v1/${writeKey}/analytics.min.js`)
    const zipped = await get(`/analytics.js/v1/${writeKey}/analytics.min.js`, { 'accept-encoding': 'gzip, deflate, br' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body)
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2)
    const again = await get(`/analytics.js/v1/${writeKey}/analytics.min.js`, { 'if-none-match': String(plain.headers.etag) })
    expect([again.statusCode, again.body]).toEqual([304, ''])
  })

  it('serves settings that send events to this server and load nothing from elsewhere', async () => {
    const res = await get(`/v1/projects/${writeKey}/settings`, { host: '127.0.0.1:4123' })
    expect(res.statusCode).toBe(200)
    expect(res.headers).toMatchObject({
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=60',
    })
    const settings = res.json()
    expect(Object.keys(settings.integrations)).toEqual(['Segment.io'])
    expect(settings.integrations['Segment.io']).toMatchObject({ apiKey: writeKey, apiHost: '127.0.0.1:4123/v1', protocol: 'http' })
    expect(settings).toMatchObject({
      remotePlugins: [],
      enabledMiddleware: {},
      middlewareSettings: {},
      legacyVideoPluginsEnabled: false,
      metrics: { sampleRate: 0 },
    })
    expect(settings.plan).toBeUndefined()
    expect(res.body).not.toMatch(/segment\.(io|com)/)
  })

  it('answers an unknown write key with 404 and the error shape, readable by the page', async () => {
    for (const url of ['/v1/projects/wk_unknown/settings', '/analytics.js/v1/wk_unknown/analytics.min.js']) {
      const res = await get(url)
      expect([res.statusCode, res.json().error.code, res.headers['access-control-allow-origin'], res.headers['cache-control']]).toEqual([
        404,
        'SOURCE_NOT_FOUND',
        '*',
        'no-store',
      ])
    }
  })

  it('serves every chunk the script names, as immutable, and nothing else of the package', async () => {
    const bundle = (await get(`/analytics.js/v1/${writeKey}/analytics.min.js`)).body
    const chunks = new BrowserSdkAssets().chunkNames().filter((name) => name.endsWith('.js'))
    expect(chunks.length).toBeGreaterThan(5)
    for (const name of chunks) {
      // The script builds chunk URLs from a map of names to content hashes.
      expect(bundle).toContain(name.split('.')[2])
      const res = await get(`/analytics-next/bundles/${name}`)
      expect([
        res.statusCode,
        res.headers['content-type'],
        res.headers['cache-control'],
        res.headers['cross-origin-resource-policy'],
      ]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', 'cross-origin'])
    }
    for (const name of [
      'standalone.js',
      'index.js',
      '..%2F..%2Fpackage.json',
      '..%2Fumd%2Fstandalone.js',
      '%2Fetc%2Fpasswd',
      'x.bundle.0123456789.js',
    ]) {
      const res = await get(`/analytics-next/bundles/${name}`)
      expect([name, res.statusCode, res.json().error.code]).toEqual([name, 404, 'ROUTE_NOT_FOUND'])
    }
  })
})

describe('where the settings send events', () => {
  it('uses the public URL when the request came through its host, so a TLS proxy in front is honoured', async () => {
    const t = await createTestApp({ publicUrl: 'https://reach.example.com', ingestRateLimit: 2 })
    try {
      const owner = await setupOwner(t.app)
      const { writeKey } = (await owner.post('/api/v1/sources', { name: 'Shop', kind: 'web' })).json()
      const settings = (host: string) => t.app.inject({ method: 'GET', url: `/v1/projects/${writeKey}/settings`, headers: { host } })
      expect((await settings('reach.example.com')).json().integrations['Segment.io']).toMatchObject({
        apiHost: 'reach.example.com/v1',
        protocol: 'https',
      })
      expect((await settings('10.1.2.3:3000')).json().integrations['Segment.io']).toMatchObject({
        apiHost: '10.1.2.3:3000/v1',
        protocol: 'http',
      })
      // Limited per write key, like the tracking API.
      const limited = await settings('reach.example.com')
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'RATE_LIMITED'])
    } finally {
      await t.close()
    }
  })
})

describe('standaloneBundle', () => {
  it('refuses a package whose metrics host it cannot find, rather than serve it half-patched', () => {
    expect(() => standaloneBundle('var r="metrics.example/v1"')).toThrow(/expected 1/)
    expect(standaloneBundle('var r="api.segment.io/v1";\n//# sourceMappingURL=standalone.js.map')).toMatch(
      /var r=\(window\.__reachloopApiHost\|\|""\);\n$/,
    )
  })
})
