import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: a segment built from nested conditions', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'App', kind: 'app' } })
    page = app.page
    // Three customers: ordered in Chongqing, ordered in Chengdu, visited Chongqing without ordering.
    const batch = [
      { type: 'identify', userId: 'cq-buyer', traits: { name: 'Liu Yang', city: 'Chongqing' } },
      { type: 'track', userId: 'cq-buyer', event: 'Order Completed', properties: { total: 8800 } },
      { type: 'identify', userId: 'cd-buyer', traits: { name: 'Zhou Min', city: 'Chengdu' } },
      { type: 'track', userId: 'cd-buyer', event: 'Order Completed', properties: { total: 9900 } },
      { type: 'identify', userId: 'cq-visitor', traits: { name: 'Wu Lei', city: 'Chongqing' } },
    ]
    await app.send(batch)
  })
  afterAll(() => app?.close())

  const choose = (select: ReturnType<Page['locator']>, option: string) => chooseOption(page, select, option)

  it('builds "ordered in the last 30 days AND (city is Chongqing)", sees the live count, saves, and finds the segment on the member\'s profile', async () => {
    await app.signIn()

    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    await page.getByTestId('segment-name').fill('Chongqing buyers')
    // The first condition is "performed Order Completed at least once in the last 30 days": two match.
    await expect.poll(async () => (await page.getByTestId('live-count').innerText()).trim(), { timeout: 15_000 }).toBe('2')
    // A sum of the money property `total` is typed in yuan: ¥90 or more holds the ¥99 order alone, ¥88 both.
    const first = page.getByTestId('item-root-0')
    await choose(first.getByTestId('cond-aggregate'), 'sum of')
    await first.locator('.ant-input-number-prefix', { hasText: '¥' }).waitFor()
    const amount = first.getByTestId('cond-count').locator('xpath=self::input | descendant::input').first()
    await amount.fill('90')
    await expect.poll(async () => (await page.getByTestId('live-count').innerText()).trim(), { timeout: 15_000 }).toBe('1')
    await amount.fill('88')
    await expect.poll(async () => (await page.getByTestId('live-count').innerText()).trim(), { timeout: 15_000 }).toBe('2')

    // A nested group: its condition becomes "trait city equals Chongqing".
    await page.getByTestId('add-group-root').click()
    const nested = page.getByTestId('group-root-1')
    await choose(nested.getByTestId('cond-kind'), 'Trait')
    await nested.getByTestId('cond-value').fill('Chongqing')
    await expect.poll(async () => (await page.getByTestId('live-count').innerText()).trim(), { timeout: 15_000 }).toBe('1')
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-en.png'), fullPage: true })

    await page.getByTestId('save-segment').click()
    await expect.poll(async () => (await page.getByTestId('segment-size').innerText()).trim(), { timeout: 20_000 }).toBe('1')
    await page.getByTestId('segment-members').getByText('Liu Yang').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-detail-en.png'), fullPage: true })

    await page.getByTestId('member-link').first().click()
    await page.getByTestId('profile-name').getByText('Liu Yang').waitFor()
    await page.getByTestId('profile-segments').locator('.ant-tag', { hasText: 'Chongqing buyers' }).waitFor()
    // The entry is on the customer's timeline too.
    await page.getByTestId('profile-timeline').getByText('Entered segment').waitFor()
  })

  it('creates a manual tag, tags a customer by user id, and shows the tag on the profile', async () => {
    await page.getByTestId('nav-tags').click()
    await page.getByTestId('new-tag').click()
    await page.getByTestId('tag-name').fill('VIP')
    await page.getByTestId('create-tag-submit').click()
    await page.getByTestId('apply-tag-VIP').click()
    await choose(page.locator('.ant-modal:visible .ant-select'), 'user_id')
    await page.getByTestId('apply-tag-values').fill('cq-visitor\nno-such-member')
    await page.getByTestId('apply-tag-submit').click()
    await page.getByText('1 changed, 1 not found').waitFor()
    await page.getByTestId('tags-table').locator('tr', { hasText: 'VIP' }).getByText('1', { exact: true }).waitFor()
    await page.getByTestId('nav-profiles').click()
    await page.getByTestId('profiles-table').getByText('Wu Lei').click()
    await page.getByTestId('profile-segments').locator('.ant-tag', { hasText: 'VIP' }).waitFor()
    expect(await page.getByTestId('audience-history-entry').first().innerText()).toContain('Tagged VIP')

    // The tag in a segment: "has tag VIP" holds Wu Lei alone; "has not" the two other customers.
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    const condition = page.getByTestId('item-root-0')
    await choose(condition.getByTestId('cond-kind'), 'Has tag')
    await choose(condition.getByTestId('cond-tag'), 'VIP')
    const liveCount = async () => (await page.getByTestId('live-count').innerText()).trim()
    await expect.poll(liveCount, { timeout: 15_000 }).toBe('1')
    await condition.locator('.ant-switch', { hasText: 'has' }).click()
    await expect.poll(liveCount, { timeout: 15_000 }).toBe('2')
  })
})
