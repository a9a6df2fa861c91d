import { createHmac } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: a source, its live events, and the customer they make', () => {
  let app: ConsoleApp
  let server: ConsoleApp['server']
  let page: Page
  let dataDir: string

  beforeAll(async () => {
    app = await startConsoleApp({ viewport: { width: 1360, height: 900 } })
    ;({ page, server, dataDir } = app)
  })
  afterAll(() => app?.close())

  it("creates a source, sees events arrive in the debugger with a rejection, and opens the customer's timeline", async () => {
    await app.signIn()

    await page.getByTestId('nav-sources').click()
    await page.getByTestId('create-source').click()
    await page.getByTestId('source-name').fill('Mini program')
    await page.getByTestId('create-source-submit').click()
    await page.getByTestId('open-source-Mini program').click()
    const writeKey = (await page.getByTestId('source-write-key').innerText()).trim()
    expect(writeKey).toMatch(/^wk_/)
    await page.getByText('Waiting for events').waitFor()

    const post = (body: unknown) =>
      fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const sent = await post({
      batch: [
        {
          type: 'page',
          anonymousId: 'visitor-7',
          name: 'Membership',
          properties: { path: '/membership' },
          timestamp: '2026-11-20T09:00:00Z',
        },
        {
          type: 'identify',
          anonymousId: 'visitor-7',
          userId: 'member-7',
          traits: { name: 'Chen Jing', phone: '13800000777' },
          timestamp: '2026-11-20T09:01:00Z',
        },
        {
          type: 'track',
          userId: 'member-7',
          event: 'Order Completed',
          properties: {
            order_id: 'o-777',
            total: 12800,
            currency: 'CNY',
            coupon: 'WELCOME20',
            products: [{ product_id: 'annual-card' }, { product_id: 'wax' }],
          },
          timestamp: '2026-11-20T09:05:00Z',
        },
        { type: 'track', userId: 'member-7' },
      ],
    })
    expect(sent.status).toBe(200)

    // The debugger polls: the events appear without a reload, and so does the rejection.
    const events = page.getByTestId('debugger-events')
    await events.getByText('Order Completed').waitFor({ timeout: 15_000 })
    expect(await events.locator('tbody tr').count()).toBe(3)
    await page.getByText('Rejected events (1)').click()
    await page.getByTestId('debugger-rejections').getByText('event is required for a track call').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'source-debugger-en.png'), fullPage: true })

    // Open the customer: one profile holds the anonymous visit and the order.
    await page.getByText('Live events').click()
    await events.getByTestId('debugger-profile-link').first().click()
    await page.getByTestId('profile-name').getByText('Chen Jing').waitFor()
    const timeline = page.getByTestId('profile-timeline')
    await timeline.getByText('Completed order').waitFor()
    expect(await timeline.innerText()).toContain('¥128.00')
    expect(await timeline.innerText()).toContain('Coupon WELCOME20')
    expect(await timeline.innerText()).toContain('Viewed page')
    // The platform's own record of the first sight, before the first page view.
    expect(await timeline.innerText()).toMatch(/Viewed page[\s\S]*First seen/)
    expect(await page.getByTestId('profile-identifiers').innerText()).toContain('+8613800000777')
    await page.screenshot({ path: join(SCREENSHOTS, 'profile-en.png'), fullPage: true })

    // The customer list finds them by phone.
    await page.getByTestId('nav-profiles').click()
    await page.getByTestId('profiles-search').locator('input').fill('13800000777')
    await page.getByTestId('profiles-search').locator('input').press('Enter')
    await page.getByTestId('profiles-table').getByText('Chen Jing').waitFor()

    // The identity rules are listed; the rejected event is corrected in the quarantine and ingested.
    await page.getByTestId('nav-identity').click()
    await page.getByTestId('identity-types').getByText('user_id').waitFor()
    await page.getByTestId('nav-quarantine').click()
    const quarantined = page.getByTestId('quarantine-table').locator('tr', { hasText: 'event is required for a track call' })
    // The field to blame is shown beside the reason.
    await quarantined.locator('code', { hasText: /^event$/ }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'quarantine-en.png'), fullPage: true })
    await quarantined.getByRole('button', { name: 'Correct and ingest' }).click()
    await page
      .getByTestId('quarantine-editor')
      .fill(JSON.stringify({ type: 'track', userId: 'member-7', event: 'Store Visited', properties: { store_id: 'cq-1' } }))
    await page.getByRole('button', { name: 'Ingest again' }).click()
    await quarantined.getByText('Ingested again').waitFor()
  })

  it('imports historical orders with the wizard and shows the progress and what was refused', async () => {
    const file = join(dataDir, 'orders.csv')
    writeFileSync(file, 'order_no,member,amount\nSO-1,member-7,8800\nSO-2,,500\nSO-3,member-8,12800\n')
    await page.getByTestId('nav-imports').click()
    await page.getByTestId('new-import').click()
    await page.locator('input[type=file]').setInputFiles(file)
    await page.getByTestId('start-import').waitFor()
    await page.getByTestId('import-kind').getByText('Historical events').click()
    const pick = (testId: string, column: string) => chooseOption(page, page.getByTestId(testId), column)
    await pick('map-userId', 'member')
    await page.getByTestId('map-eventName').fill('Order Completed')
    await pick('map-messageId', 'order_no')
    await page.getByTestId('add-properties').click()
    await page.getByPlaceholder('phone').last().fill('total')
    await pick('properties-column-0', 'amount')
    await page.getByTestId('start-import').click()
    await page.getByTestId('import-outcome').getByText('Stored 2').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('import-outcome').innerText()).toContain('Refused 1')
    await page.screenshot({ path: join(SCREENSHOTS, 'import-en.png'), fullPage: true })
    await page.getByRole('button', { name: 'OK' }).click()
    await page.getByTestId('import-counts-orders.csv').getByText('2 / 0 / 1').waitFor()
  })

  it('sets up a webhook source and shows a signed order push as an event', async () => {
    await page.getByTestId('nav-sources').click()
    await page.getByTestId('create-source').click()
    await page.getByTestId('source-name').fill('Youzan shop')
    await chooseOption(page, page.getByTestId('source-kind'), 'Webhook')
    await page.getByTestId('create-source-submit').click()
    await page.getByTestId('open-source-Youzan shop').click()
    await page.getByRole('tab', { name: 'Webhook' }).click()
    // The example mapping is filled in: an order push with the buyer's phone.
    await page.getByRole('button', { name: 'Save mapping' }).click()
    const url = (await page.getByTestId('webhook-url').innerText()).trim()
    const secret = (await page.getByTestId('webhook-secret').innerText()).trim()
    expect(url).toContain('/p/webhooks/')
    const body = JSON.stringify({
      trade: { tid: 'YZ-20261124-1', created: '2026-11-24T08:00:00Z', payment: 9900 },
      buyer: { mobile: '13800000888' },
    })
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
    const pushed = await fetch(`${server.url}${new URL(url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-reachloop-signature': signature },
      body,
    })
    expect(pushed.status).toBe(200)
    const forged = await fetch(`${server.url}${new URL(url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-reachloop-signature': signature },
      body: body.replace('9900', '1'),
    })
    expect(forged.status).toBe(401)

    await page.getByRole('tab', { name: 'Live events' }).click()
    const events = page.getByTestId('debugger-events')
    await events.getByText('Order Completed').waitFor({ timeout: 15_000 })
    expect(await events.locator('tbody tr').count()).toBe(1)
    await page.screenshot({ path: join(SCREENSHOTS, 'webhook-en.png'), fullPage: true })
    await events.getByTestId('debugger-profile-link').first().click()
    await page.getByTestId('profile-identifiers').getByText('+8613800000888').waitFor()
    expect(await page.getByTestId('profile-timeline').innerText()).toContain('¥99.00')
  })
})
