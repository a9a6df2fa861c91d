import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { OWNER, SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

const CUSTOMERS = 2100
const CITIES = ['重庆', '成都', '西安']
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString()

describe('console: the customers list filtered, sorted and exported', () => {
  let app: ConsoleApp
  let page: Page
  const total = () => page.getByTestId('profiles-total').innerText({ timeout: 2000 })
  const firstRow = () => page.getByTestId('profiles-table').locator('tbody tr.ant-table-row').first().innerText({ timeout: 2000 })
  const waitForFirstRow = async (name: string) => {
    for (let i = 0; i < 100 && !(await firstRow().catch(() => '')).startsWith(`${name}\t`); i++) await page.waitForTimeout(100)
    expect(await firstRow()).toMatch(new RegExp(`^${name}\t`))
  }
  const waitForTotal = async (text: string) => {
    for (let i = 0; i < 100 && (await total().catch(() => '')) !== text; i++) await page.waitForTimeout(100)
    expect(await total()).toBe(text)
  }

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'Store POS', kind: 'server' } })
    page = app.page
    // Customer n is first seen n minutes into the year and last seen in the opposite order.
    for (let from = 1; from <= CUSTOMERS; from += 1050) {
      const batch = []
      for (let n = from; n < from + 1050 && n <= CUSTOMERS; n++) {
        batch.push({
          type: 'identify',
          userId: `member-${n}`,
          traits: { name: `Customer ${n}`, city: CITIES[n % 3], phone: `139${String(n).padStart(8, '0')}` },
          timestamp: day(n),
        })
        batch.push({ type: 'track', userId: `member-${n}`, event: 'Store Visited', timestamp: day(2 * CUSTOMERS - n) })
      }
      await app.send(batch)
    }
    // The owner's session, for the admin API calls that set the scene.
    const login = await fetch(`${app.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const admin = (path: string, body: unknown) =>
      fetch(`${app.server.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>)
    const segment = await admin('/api/v1/segments', { name: 'Card holders', kind: 'static' })
    await admin(`/api/v1/segments/${segment.id}/members`, {
      mode: 'append',
      identifierType: 'user_id',
      values: ['member-7', 'member-8', 'member-9', 'member-10'],
    })
  }, 300_000)
  afterAll(() => app?.close())

  it('counts, filters by trait and segment, sorts both ways, and exports the list with progress', async () => {
    await app.signIn()
    await page.getByTestId('nav-profiles').click()
    await waitForTotal(`${CUSTOMERS.toLocaleString('en-US')} customers`)

    // A trait: city equals 重庆 (every third customer).
    await page.getByTestId('profiles-trait').locator('input').fill('city')
    await page.getByTestId('profiles-trait-value').fill('重庆')
    await page.getByTestId('profiles-apply').click()
    await waitForTotal('700 customers')
    // Latest seen first (the default): customer 3 is the 重庆 customer seen last.
    await waitForFirstRow('Customer 3')

    // Each order, both ways (customer 2100, of 重庆, was first seen last and last seen first).
    await chooseOption(page, page.getByTestId('profiles-sort'), 'Last seen: oldest first')
    await waitForFirstRow('Customer 2100')
    await chooseOption(page, page.getByTestId('profiles-sort'), 'First seen: oldest first')
    await waitForFirstRow('Customer 3')
    await chooseOption(page, page.getByTestId('profiles-sort'), 'First seen: newest first')
    await waitForFirstRow('Customer 2100')
    // The next page goes on in the same order.
    await page.getByText('Load more').click()
    await page.getByTestId('profiles-table').getByText('Customer 1947', { exact: true }).waitFor()
    const names = await page.getByTestId('profiles-table').locator('tbody tr.ant-table-row td:first-child').allInnerTexts()
    expect(names).toHaveLength(100)
    expect(names.slice(48, 52)).toEqual(['Customer 1956', 'Customer 1953', 'Customer 1950', 'Customer 1947'])

    // And in the segment: of members 7–10, 重庆 holds 9 only.
    await chooseOption(page, page.getByTestId('profiles-segment'), 'Card holders')
    await waitForTotal('1 customers')
    await waitForFirstRow('Customer 9')
    await page.screenshot({ path: join(SCREENSHOTS, 'customers-filtered-en.png'), fullPage: true })

    // Without the trait: the whole segment; without the segment: everyone, oldest first, exported.
    await page.getByTestId('profiles-trait').locator('input').fill('')
    await page.getByTestId('profiles-apply').click()
    await waitForTotal('4 customers')
    await page.getByTestId('profiles-segment').hover()
    await page.locator('[data-testid="profiles-segment"] .ant-select-clear').click()
    await waitForTotal(`${CUSTOMERS.toLocaleString('en-US')} customers`)
    await chooseOption(page, page.getByTestId('profiles-sort'), 'First seen: oldest first')
    await waitForFirstRow('Customer 1')

    // The export goes in parts of 2,000 rows; record every progress text it shows.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { progressSeen: string[] }).progressSeen = seen
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="profiles-export-progress"]')?.textContent
        if (text && seen.at(-1) !== text) seen.push(text)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    const download = page.waitForEvent('download')
    await page.getByTestId('profiles-export').click()
    const file = await (await download).path()
    await page.getByTestId('profiles-export-done').waitFor()
    expect(await page.getByTestId('profiles-export-done').innerText()).toBe(`${CUSTOMERS} customers exported`)
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen)
    expect(
      seen.some((s) => s.includes(`Exporting 2000 / ${CUSTOMERS}`)),
      seen.join(' | '),
    ).toBe(true)

    const lines = readFileSync(file, 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\n')
    expect(lines[0]).toBe('profile_id,name,phone,email,user_id,first_seen_at,last_seen_at')
    expect(lines).toHaveLength(CUSTOMERS + 1)
    expect(lines[1]).toContain(',Customer 1,13900000001,,member-1,')
    expect(lines.at(-1)).toContain(`,Customer ${CUSTOMERS},`)
    await page.screenshot({ path: join(SCREENSHOTS, 'customers-exported-en.png'), fullPage: true })
  })
})
