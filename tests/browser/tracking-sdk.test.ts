import { mkdirSync } from 'node:fs'
import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { startConsoleApp, type ConsoleApp } from './support/console-app.js'
import { shopPage, startShop, type ShopServer } from './support/shop-server.js'

const SHOTS = '/tmp/shots'

/** What the SDK sent to the tracking API and what came back, for the assertion messages. */
interface Delivery {
  url: string
  status: number | 'failed'
  headers: Record<string, string>
  body: string | null
  answer: string
}

/** Records every request a shop page makes, and each tracking call with its answer as the page reads it. */
async function watch(page: Page) {
  const requests: string[] = []
  const deliveries: Delivery[] = []
  // A request can still be finishing when its page closes; its headers are then gone, and the record keeps the rest.
  const record = async (request: Request, status: number | 'failed', answer: string) =>
    deliveries.push({
      url: request.url(),
      status,
      headers: await request.allHeaders().catch(() => ({})),
      body: request.postData(),
      answer,
    })
  page.on('request', (request) => requests.push(request.url()))
  page.on('requestfinished', async (request) => {
    if (request.method() !== 'POST' || !new URL(request.url()).pathname.startsWith('/v1/')) return
    const response = await request.response().catch(() => null)
    await record(request, response?.status() ?? 'failed', (await response?.text().catch(() => '')) ?? '')
  })
  page.on('requestfailed', (request) => {
    if (request.method() === 'POST') void record(request, 'failed', request.failure()?.errorText ?? '')
  })
  return { requests, deliveries }
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000, explain: () => unknown = () => '') => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(explain(), null, 2)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('browser SDK: the snippet the console shows, pasted into a shop on another origin', () => {
  let app: ConsoleApp
  let page: Page
  let snippet = ''
  let shopA: ShopServer
  let shopB: ShopServer

  /** The admin API, called from the signed-in console page. */
  const admin = (path: string) =>
    page.evaluate(async (p) => {
      const response = await fetch(p, { headers: { accept: 'application/json' } })
      return { status: response.status, body: (await response.json()) as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads loosely
    }, path)

  /** Opens the shop in a fresh browser profile (a new visitor) and waits for the SDK to load. */
  const visit = async (shop: ShopServer) => {
    const visitor = await app.browser.newPage()
    const seen = await watch(visitor)
    await visitor.goto(shop.origin)
    await visitor.waitForFunction(
      () => (window as unknown as { analytics?: { initialized?: boolean } }).analytics?.initialized === true,
      undefined,
      { timeout: 15_000 },
    )
    return { visitor, ...seen }
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await startConsoleApp({ viewport: { width: 1360, height: 1000 } })
    page = app.page
  })
  afterAll(async () => {
    await shopA?.close()
    await shopB?.close()
    await app?.close()
  })

  it('shows the snippet of a new web source, which takes events from any origin', async () => {
    await app.signIn()
    await page.getByTestId('nav-sources').click()
    await page.getByTestId('create-source').click()
    await page.getByTestId('source-name').fill('Car wash shop')
    await chooseOption(page, page.getByTestId('source-kind'), 'Website')
    await page.getByTestId('create-source-submit').click()
    await page.getByTestId('open-source-Car wash shop').click()
    await page.getByTestId('origins-any').waitFor()
    await page.getByTestId('allowed-origins').screenshot({ path: `${SHOTS}/allowed-origins-any-en.png` })
    await page.getByRole('tab', { name: 'Install' }).click()
    snippet = (await page.getByTestId('browser-snippet').locator('code').innerText()).trim()
    const writeKey = (await page.getByTestId('source-write-key').innerText()).trim()
    expect(snippet).toContain(`analytics.load("${writeKey}")`)
    expect(snippet).toContain(`t.src="${app.server.url}/analytics.js/v1/" + key + "/analytics.min.js"`)
    expect(snippet).not.toMatch(/segment\.(com|io)/)
    shopA = await startShop('localhost', shopPage(snippet, '洗车小店'))
    shopB = await startShop('127.0.0.1', shopPage(snippet, 'Another site'))
  })

  it('records an anonymous visit and, once the visitor signs in, their order, on one profile, talking to no other host', async () => {
    const { visitor, requests, deliveries } = await visit(shopA)
    await visitor.evaluate(async () => {
      const analytics = (window as unknown as { analytics: Record<string, (...args: unknown[]) => Promise<unknown>> }).analytics
      await analytics.track!('Product Viewed', { product_id: 'wash-premium', price: 8800 })
      await analytics.identify!('member-1', { phone: '13800138000', name: '王芳' })
      await analytics.track!('Order Completed', { order_id: 'o-1001', total: 8800, currency: 'CNY' })
    })
    // The snippet's page view, the product view, the identify and the order.
    await until(
      'four calls accepted',
      async () => deliveries.filter((d) => d.status === 200).length >= 4,
      15_000,
      () => deliveries,
    )
    expect(
      deliveries.map((d) => d.status),
      JSON.stringify(deliveries, null, 2),
    ).toEqual([200, 200, 200, 200])

    const profile = (await admin('/api/v1/profiles/by-identifier/user_id/member-1')).body
    expect(profile.identifiers.map((i: { type: string }) => i.type).sort()).toEqual(['anonymous_id', 'phone', 'user_id'])
    expect(profile.traits).toMatchObject({ name: '王芳' })
    const timeline = (await admin(`/api/v1/profiles/${profile.id}/timeline`)).body.items as {
      type: string
      name: string | null
      properties: Record<string, unknown>
    }[]
    // The four calls, and the platform's record of the customer's first sight.
    expect(timeline.map((e) => `${e.type} ${e.name ?? ''}`.trim()).sort()).toEqual([
      'identify',
      'page',
      'track Order Completed',
      'track Product Viewed',
      'track Profile Created',
    ])
    expect(timeline.find((e) => e.name === 'Order Completed')?.properties).toMatchObject({ order_id: 'o-1001', total: 8800 })
    // One visitor, one customer: the anonymous history was not left on a profile of its own.
    expect((await admin('/api/v1/profiles')).body.items).toHaveLength(1)

    const origins = new Set(requests.map((url) => new URL(url).origin))
    expect([...origins].sort()).toEqual([shopA.origin, app.server.url].sort())
    expect(requests.some((url) => url.includes('/analytics.js/v1/'))).toBe(true)
    expect(requests.some((url) => url.includes('/v1/projects/'))).toBe(true)
    await visitor.context().close()
  })

  it('takes events only from the origins set in the editor', async () => {
    await page.getByTestId('origin-input').fill('https://shop.example.com/cart')
    await page.getByTestId('origin-add').click()
    await page.getByText('Write an origin as scheme://host[:port]').waitFor()
    await page.getByTestId('origin-input').fill(`${shopA.origin.toUpperCase()}/`)
    await page.getByTestId('origin-add').click()
    await page.getByTestId(`origin-${shopA.origin}`).waitFor()
    await page.getByTestId('origins-save').click()
    await page.getByText('Saved').first().waitFor()
    await page.reload()
    await page.getByTestId(`origin-${shopA.origin}`).waitFor()
    expect(await page.getByTestId('origins-any').count()).toBe(0)

    // A page elsewhere loads the SDK, but the tracking API refuses what it sends.
    const refused = await visit(shopB)
    await refused.visitor.evaluate(() => {
      const analytics = (window as unknown as { analytics: Record<string, (...args: unknown[]) => unknown> }).analytics
      void analytics.identify!('member-2', { phone: '13900139000' })
    })
    // The snippet's page view and the identify, each answered 403 (ORIGIN_NOT_ALLOWED).
    await until(
      'the refused calls',
      async () => refused.deliveries.length >= 2,
      15_000,
      () => refused.deliveries,
    )
    // The page can read the refusal, so the SDK drops those events instead of retrying them.
    expect(
      refused.deliveries
        .map((d) => [new URL(d.url).pathname, d.status])
        .slice(0, 2)
        .sort(),
    ).toEqual([
      ['/v1/i', 403],
      ['/v1/p', 403],
    ])
    expect(refused.deliveries.every((d) => d.status === 403 && d.answer.includes('ORIGIN_NOT_ALLOWED'))).toBe(true)
    await refused.visitor.context().close()
    expect((await admin('/api/v1/profiles/by-identifier/user_id/member-2')).status).toBe(404)

    // The listed shop still works.
    const allowed = await visit(shopA)
    await allowed.visitor.evaluate(async () => {
      const analytics = (window as unknown as { analytics: Record<string, (...args: unknown[]) => Promise<unknown>> }).analytics
      await analytics.identify!('member-3', { phone: '13700137000' })
    })
    await until(
      'member-3',
      async () => (await admin('/api/v1/profiles/by-identifier/user_id/member-3')).status === 200,
      15_000,
      () => allowed.deliveries,
    )
    expect(allowed.deliveries.every((d) => d.status === 200)).toBe(true)
    await allowed.visitor.context().close()
  })

  it('lays the source page out in English and in Chinese', async () => {
    await page.getByRole('tab', { name: 'Install' }).click()
    await page.getByTestId('browser-snippet').waitFor()
    // Let the tab's ink bar finish sliding under the active tab.
    await page.waitForTimeout(400)
    await page.screenshot({ path: `${SHOTS}/source-page-en.png`, fullPage: true })
    await page.getByTestId('language-switch').click()
    await page.getByText('允许的来源（Origin）').waitFor()
    await page.getByRole('tab', { name: '接入代码' }).click()
    await page.waitForTimeout(400)
    await page.screenshot({ path: `${SHOTS}/source-page-zh.png`, fullPage: true })
    await page.getByTestId('nav-sources').click()
    await page.getByTestId('sources-table').waitFor()
    await page.screenshot({ path: `${SHOTS}/sources-zh.png`, fullPage: true })
  })
})
