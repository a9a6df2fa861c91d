import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

const PHONE = { width: 390, height: 844 }

/** Whether the page itself scrolls sideways (a table scrolling inside its card does not count). */
const pageOverflow = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))

const expectNoSidewaysScroll = async (page: Page, where: string) => {
  const { scrollWidth, innerWidth } = await pageOverflow(page)
  expect(scrollWidth, `${where}: the page is ${scrollWidth}px wide on a ${innerWidth}px screen`).toBeLessThanOrEqual(innerWidth)
}

describe('console on a phone (390 × 844), in English and Chinese', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'Store POS', kind: 'server' }, viewport: PHONE })
    page = app.page
    await app.send([
      ...['重庆', '成都', '西安'].map((city, i) => ({
        type: 'identify',
        userId: `member-${i + 1}`,
        traits: { name: `顾客 ${i + 1}`, city, phone: `1390000000${i + 1}`, email: `member${i + 1}@example.com`, membership: 'gold' },
        timestamp: `2026-06-0${i + 1}T09:00:00Z`,
      })),
      {
        type: 'track',
        userId: 'member-1',
        event: 'Order Completed',
        properties: { order_id: 'o-1', total: 6800, currency: 'CNY', products: [{ product_id: 'wash' }] },
        timestamp: '2026-06-10T10:00:00Z',
      },
      { type: 'page', userId: 'member-1', name: 'Membership', properties: { path: '/membership' }, timestamp: '2026-06-11T10:00:00Z' },
    ])
  })
  afterAll(() => app?.close())

  /** Opens the navigation from its menu button, picks a page, and finds the navigation closed again. */
  const navigate = async (to: string) => {
    await page.getByTestId('nav-toggle').click()
    const item = page.getByTestId(`nav-${to}`)
    await item.waitFor({ state: 'visible' })
    await item.click()
    await item.waitFor({ state: 'hidden' })
  }

  const checkPages = async (language: 'en' | 'zh') => {
    // The navigation is hidden behind its button; it opens over the page and closes on navigation.
    expect(await page.getByTestId('nav-segments').isVisible()).toBe(false)
    await navigate('segments')
    await page.getByTestId('segments-table').waitFor()
    await expectNoSidewaysScroll(page, 'segments')
    await navigate('tags')
    await page.getByTestId('tags-table').waitFor()
    await expectNoSidewaysScroll(page, 'tags')

    // Closing it without picking a page leaves the page as it was.
    await page.getByTestId('nav-toggle').click()
    await page.getByTestId('nav-profiles').waitFor({ state: 'visible' })
    await page.keyboard.press('Escape')
    await page.getByTestId('nav-profiles').waitFor({ state: 'hidden' })

    await navigate('profiles')
    const total = page.getByTestId('profiles-total')
    await total.waitFor()
    expect(await total.innerText()).toBe(language === 'en' ? '3 customers' : '共 3 位客户')
    await expectNoSidewaysScroll(page, 'customers')
    // The header keeps the workspace, the language switch and the user menu on screen.
    for (const id of ['workspace-switcher', 'language-switch', 'user-menu']) {
      const box = await page.getByTestId(id).first().boundingBox()
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${id} is on screen`).toBe(true)
    }
    await page.screenshot({ path: join(SCREENSHOTS, `mobile-customers-${language}.png`), fullPage: true })

    await page.getByTestId('profiles-table').getByText('顾客 1').click()
    await page.getByTestId('profile-name').waitFor()
    await page
      .getByTestId('profile-timeline')
      .getByText(language === 'en' ? 'Completed order' : '完成订单')
      .first()
      .waitFor()
    await expectNoSidewaysScroll(page, 'profile')
    const figures = page.getByTestId('profile-figure')
    expect(await figures.count()).toBe(3)
    for (let i = 0; i < 3; i++) {
      const value = figures.nth(i).locator('.ant-statistic-content')
      const box = await value.boundingBox()
      const lineHeight = await value.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 40)
      expect(box?.width, `figure ${i} is wider than a character`).toBeGreaterThan(40)
      expect(box?.height, `figure ${i} stays on one line`).toBeLessThan(lineHeight * 1.8)
    }
    await page.screenshot({ path: join(SCREENSHOTS, `mobile-profile-${language}.png`), fullPage: true })
  }

  it('opens and closes the navigation, and shows the lists and a profile without sideways scrolling, in English', async () => {
    await app.signIn()
    await page.getByTestId('nav-toggle').waitFor()
    await checkPages('en')
  })

  it('does the same in Chinese', async () => {
    await page.getByTestId('language-switch').click()
    await page.getByTestId('nav-toggle').waitFor()
    await page.getByText('最近活跃').first().waitFor()
    await checkPages('zh')
  })
})
