import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

/** The demo's cities, as `reachloop demo` spreads its customers over them (most in Chongqing). */
const CITIES = ['重庆', '重庆', '重庆', '重庆', '成都', '成都', '成都', '西安', '西安', '武汉', '武汉', '昆明']

/** Demo-like customers: each visits a store of their city; all but the last two also complete a wash. */
function demoEvents(): object[] {
  return CITIES.flatMap((city, i) => {
    const userId = `demo-${i}`
    const store = `${city}-${(i % 2) + 1}`
    const events: object[] = [
      { type: 'identify', userId, traits: { name: `客户 ${i}`, city, member_level: i % 3 === 0 ? 'gold' : 'basic' } },
      { type: 'track', userId, event: 'Store Visited', properties: { store_id: store, city } },
    ]
    if (i < CITIES.length - 2)
      events.push({
        type: 'track',
        userId,
        event: 'Service Completed',
        properties: { service: i % 2 ? 'premium_wash' : 'basic_wash', store_id: store, city, price: 6800 },
      })
    // An event of this workspace only, not among the standard ones.
    if (i % 4 === 0) events.push({ type: 'track', userId, event: 'Wax Applied', properties: { store_id: store } })
    return events
  })
}

/** Customers of `city` who completed a wash: what the segment below should count. */
const washedIn = (city: string) => CITIES.slice(0, CITIES.length - 2).filter((c) => c === city).length

describe('console: the event catalogue and the builders that pick from it', () => {
  let app: ConsoleApp
  let page: Page
  const textOf = async (locator: Locator) => (await locator.innerText()).trim()
  const choose = (select: Locator, option: string) => chooseOption(page, select, option)

  /** The count the admin API gives for a definition, asked from the signed-in page. */
  const apiCount = (definition: object) =>
    page.evaluate(
      async (body) => {
        const response = await fetch('/api/v1/segments/preview', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-workspace-id': localStorage.getItem('reachloop.workspace') ?? '' },
          body: JSON.stringify(body),
        })
        return ((await response.json()) as { count: number }).count
      },
      { definition },
    )

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'Stores', kind: 'store_pos' } })
    page = app.page
    await app.send(demoEvents())
  }, 300_000)
  afterAll(() => app?.close())

  /** The catalogue page: the sent events, and an event's properties with their share and top values. */
  async function seeCatalogue(language: 'en' | 'zh') {
    await page.getByTestId('nav-catalogue').click()
    const events = page.getByTestId('catalogue-events')
    // The log consumer catches up within a poll or two.
    await expect
      .poll(
        async () => {
          await page.reload()
          await events.locator('.ant-table-row, .ant-empty').first().waitFor()
          return events.getByTestId('catalogue-event-Service Completed').count()
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1)
    await events.locator('tr', { hasText: 'Service Completed' }).getByText('10', { exact: true }).waitFor()
    await events.getByTestId('catalogue-event-Service Completed').click()
    const properties = page.getByTestId('catalogue-properties')
    const city = properties.locator('tr', { has: page.getByText('city', { exact: true }) })
    await city.getByText('重庆 · 4').waitFor()
    expect(await textOf(city.getByTestId('property-share'))).toBe('100%')
    await city.getByText(language === 'zh' ? '文本' : 'text', { exact: true }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, `catalogue-${language}.png`), fullPage: true })
  }

  /** A segment "completed a wash in the last 30 days, in `city`", built from the catalogue's picks. */
  async function buildSegment(city: string, name: string) {
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    await page.getByTestId('segment-name').fill(name)
    const condition = page.getByTestId('item-root-0')
    // The event picker lists the catalogue's events: the workspace's own one too, not only the standard names.
    await condition.getByTestId('cond-event').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="Wax Applied"]').waitFor()
    await page.keyboard.press('Escape')
    await choose(condition.getByTestId('cond-event'), 'Service Completed')
    await condition.getByTestId('add-filter').click()
    // The property picker offers the event's received properties.
    const property = condition.getByTestId('filter-property')
    await property.fill('')
    await property.click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'service' }).first().waitFor()
    await property.fill('city')
    await page.keyboard.press('Escape')
    // The value input suggests the demo's cities from the catalogue, most frequent first.
    const value = condition.getByTestId('cond-value')
    await value.click()
    const suggestions = page.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await expect
      .poll(async () => (await suggestions.allInnerTexts()).map((s) => s.split('\n')[0]?.trim()), { timeout: 10_000 })
      .toEqual(['重庆', '成都', '西安', '武汉'])
    await value.fill(city.slice(0, 1))
    await suggestions.filter({ hasText: city }).first().click()
    await expect.poll(() => value.inputValue()).toBe(city)
    const definition = {
      kind: 'and',
      children: [
        {
          kind: 'event',
          event: 'Service Completed',
          filters: [{ property: 'city', type: 'string', op: 'equals', value: city }],
          window: { type: 'last', amount: 30, unit: 'days' },
          aggregate: 'count',
          comparison: 'gte',
          value: 1,
        },
      ],
    }
    const expected = await apiCount(definition)
    expect(expected).toBe(washedIn(city))
    await expect.poll(() => textOf(page.getByTestId('live-count')), { timeout: 15_000 }).toBe(String(expected))
  }

  it('in English, lists a sent event and its properties, and builds a segment from the catalogue with the count the API gives', async () => {
    await app.signIn()
    await seeCatalogue('en')
    await buildSegment('重庆', 'Washed in Chongqing')
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-catalogue-en.png'), fullPage: true })
  })

  it('in Chinese, the same: the catalogue page, the pickers and the count', async () => {
    await page.evaluate(() => localStorage.setItem('reachloop.language', 'zh-CN'))
    await page.reload()
    await page.getByTestId('nav-catalogue').waitFor()
    await seeCatalogue('zh')
    await buildSegment('成都', '成都洗车客户')
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-catalogue-zh.png'), fullPage: true })
  })

  it('marks a property money and hides an event, which the pickers then leave out', async () => {
    await page.getByTestId('nav-catalogue').click()
    await page.getByTestId('catalogue-events').getByTestId('catalogue-event-Wax Applied').click()
    await page.getByTestId('event-hide').click()
    await page.getByTestId('catalogue-events').getByTestId('catalogue-event-Wax Applied').waitFor({ state: 'detached' })
    await page.getByTestId('catalogue-events').getByTestId('catalogue-event-Service Completed').click()
    await choose(page.getByTestId('mark-price'), '金额（分）')
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const response = await fetch('/api/v1/catalogue/marks', {
            headers: { 'x-workspace-id': localStorage.getItem('reachloop.workspace') ?? '' },
          })
          return response.json()
        }),
      )
      .toEqual({ money: ['price'], dates: [] })
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    await page.getByTestId('item-root-0').getByTestId('cond-event').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="Service Completed"]').waitFor()
    expect(await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="Wax Applied"]').count()).toBe(0)
  })
})
