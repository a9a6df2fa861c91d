import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

const DAY = 86_400_000

describe('console: computed properties, in segments and on the profile', () => {
  let app: ConsoleApp
  let server: ConsoleApp['server']
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'POS', kind: 'store_pos' } })
    ;({ page, server } = app)
    // In the last 90 days Liu Yang spent 18,700, Zhou Min 1,200 (and 50,000 long before), Wu Lei 300; Chen Jie never ordered.
    const order = (userId: string, total: number, daysAgo: number) => ({
      type: 'track',
      userId,
      event: 'Order Completed',
      properties: { total },
      timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
    })
    const batch = [
      { type: 'identify', userId: 'liu', traits: { name: 'Liu Yang' } },
      order('liu', 8800, 10),
      order('liu', 9900, 40),
      { type: 'identify', userId: 'zhou', traits: { name: 'Zhou Min' } },
      order('zhou', 50_000, 200),
      order('zhou', 1200, 5),
      { type: 'identify', userId: 'wu', traits: { name: 'Wu Lei' } },
      order('wu', 300, 20),
      { type: 'identify', userId: 'chen', traits: { name: 'Chen Jie' } },
    ]
    await app.send(batch)
  })
  afterAll(() => app?.close())

  const choose = (select: Locator, option: string) => chooseOption(page, select, option)
  const textOf = async (locator: Locator) => (await locator.innerText()).trim()
  // Ant Design puts a test id on an input's wrapper or on the input itself, depending on the component.
  const inputOf = (locator: Locator) => locator.locator('xpath=self::input | descendant::input').first()

  it('defines spend_90d, shows a problem next to its field, computes it and charts its values', async () => {
    await app.signIn()
    await page.getByTestId('nav-computed-properties').click()
    await page.getByTestId('new-computed-property').click()
    await page.getByTestId('computed-name').fill('spend_90d')

    // An average of no property: the server's problem appears on the property's field.
    await choose(page.getByTestId('computed-aggregate'), 'Average of')
    await page.getByTestId('save-computed-property').click()
    await page.locator('.ant-form-item-explain-error', { hasText: 'avg needs a numeric property' }).waitFor()

    await choose(page.getByTestId('computed-aggregate'), 'Sum of')
    await inputOf(page.getByTestId('computed-property')).fill('total')
    await inputOf(page.getByTestId('window-amount')).fill('90')
    await page.screenshot({ path: join(SCREENSHOTS, 'computed-property-edit-en.png'), fullPage: true })
    await page.getByTestId('save-computed-property').click()

    // Created, it is computed by a job: three customers ordered within 90 days.
    await expect.poll(() => textOf(page.getByTestId('computed-profiles')), { timeout: 20_000 }).toBe('3')
    await page.getByTestId('compute-computed-property').click()
    expect(await textOf(page.getByTestId('compute-result'))).toMatch(/^Computed: 3 profiles hold a value, 0 changed, in \d+ ms$/)
    // The chart spreads ¥3.00 … ¥187.00 (a sum of `total`, money) over ten buckets; its accessible description carries the data.
    const chart = page.getByTestId('computed-distribution')
    await chart.locator('canvas').waitFor()
    await expect.poll(async () => (await chart.getAttribute('aria-label')) ?? '', { timeout: 10_000 }).toContain('¥3.00 – ¥21.40')
    await page.screenshot({ path: join(SCREENSHOTS, 'computed-property-detail-en.png'), fullPage: true })

    await page.getByTestId('nav-computed-properties').click()
    await page
      .getByTestId('computed-properties-table')
      .locator('tr', { hasText: 'spend_90d' })
      .getByText('Sum of total · Order Completed · In the last 90 days')
      .waitFor()
  })

  it("builds a segment on spend_90d and finds the value on a member's profile 360; the property in use cannot be deleted", async () => {
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    await page.getByTestId('segment-name').fill('Big spenders 90d')
    const first = page.getByTestId('item-root-0')
    await choose(first.getByTestId('cond-kind'), 'Computed property')
    await choose(first.getByTestId('cond-computed'), 'spend_90d')
    // "≥ 0" at first: everyone, Chen Jie too, since a sum over no orders is 0.
    expect(await textOf(first.getByTestId('cond-op'))).toBe('≥')
    await expect.poll(() => textOf(page.getByTestId('live-count')), { timeout: 15_000 }).toBe('4')
    await inputOf(first.getByTestId('cond-value')).fill('10000')
    await expect.poll(() => textOf(page.getByTestId('live-count')), { timeout: 15_000 }).toBe('1')

    // A subscription condition (the first group, marketing email, opt-out): nobody unsubscribed, everyone is reachable.
    await page.getByTestId('add-condition-root').click()
    const second = page.getByTestId('item-root-1')
    await choose(second.getByTestId('cond-kind'), 'Subscription')
    await choose(second.getByTestId('cond-subscription-state'), 'unsubscribed')
    await expect.poll(() => textOf(page.getByTestId('live-count')), { timeout: 15_000 }).toBe('0')
    await choose(second.getByTestId('cond-subscription-state'), 'reachable (by group policy)')
    await expect.poll(() => textOf(page.getByTestId('live-count')), { timeout: 15_000 }).toBe('1')
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-computed-en.png'), fullPage: true })

    await page.getByTestId('save-segment').click()
    await expect.poll(() => textOf(page.getByTestId('segment-size')), { timeout: 20_000 }).toBe('1')
    await page.getByTestId('segment-members').getByText('Liu Yang').click()
    await page.getByTestId('profile-name').getByText('Liu Yang').waitFor()
    await expect.poll(() => textOf(page.getByTestId('computed-value-spend_90d')), { timeout: 10_000 }).toBe('¥187.00')

    await page.getByTestId('profile-computed').getByText('spend_90d').click()
    await page.getByTestId('delete-computed-property').click()
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click()
    const refusal = page.getByTestId('computed-in-use')
    await refusal.getByText('Segments or tags use this computed property; change them first.').waitFor()
    await refusal.getByText('Segment: Big spenders 90d').waitFor()
  })

  it('in Chinese, scores customers by RFM and shows the group and score on the profile', async () => {
    await page.evaluate(() => localStorage.setItem('reachloop.language', 'zh-CN'))
    await page.goto(`${server.url}/computed-properties/new`)
    await page.getByTestId('computed-name').fill('rfm')
    await page.getByTestId('computed-kind').getByText('RFM 模型').click()
    await choose(page.locator('.ant-form-item', { hasText: '时间范围' }).locator('.ant-select').first(), '全部时间')
    await page.getByTestId('save-computed-property').click()
    await expect.poll(() => textOf(page.getByTestId('computed-profiles')), { timeout: 20_000 }).toBe('3')
    const chart = page.getByTestId('computed-distribution')
    await expect.poll(async () => (await chart.getAttribute('aria-label')) ?? '', { timeout: 10_000 }).toContain('潜力客户')
    await page.screenshot({ path: join(SCREENSHOTS, 'computed-property-rfm-zh.png'), fullPage: true })

    // Ever: Liu Yang last ordered 10 days ago, twice, 18,700 — against three customers' quintiles, R 4 F 2 M 2.
    await page.getByTestId('nav-profiles').click()
    await page.getByTestId('profiles-table').getByText('Liu Yang').click()
    await expect.poll(() => textOf(page.getByTestId('computed-value-rfm')), { timeout: 10_000 }).toBe('潜力客户 · 422')
    await expect.poll(() => textOf(page.getByTestId('computed-value-spend_90d')), { timeout: 10_000 }).toBe('¥187.00')
    await page.screenshot({ path: join(SCREENSHOTS, 'profile-computed-zh.png'), fullPage: true })
  })
})
