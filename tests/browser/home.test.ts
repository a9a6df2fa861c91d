import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/processes.js'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

const DEMO_WORKSPACE = '洗车连锁 Demo'

describe('console: the home page, from a new workspace to the demo', () => {
  let app: ConsoleApp
  let page: Page
  /** A figure card's value as a number (digits only: "¥1,234.00" is 123400). */
  const figure = async (key: string) => Number((await page.getByTestId(`figure-${key}-value`).innerText()).replace(/[^0-9]/g, '') || '0')
  const useLanguage = async (language: 'zh-CN' | 'en-US') => {
    await page.evaluate((l) => localStorage.setItem('reachloop.language', l), language)
    await page.reload()
    await page.getByTestId('home-page').waitFor()
  }

  beforeAll(async () => {
    app = await startConsoleApp()
    page = app.page
  })
  afterAll(() => app?.close())

  it('in English, signs in to the home page of a new workspace, which shows the getting-started checklist', async () => {
    await app.signIn()
    await page.getByTestId('getting-started').waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.getByTestId('start-source').getAttribute('data-done')).toBe('false')
    expect(await page.getByTestId('start-event').innerText()).toContain('Create a source first.')
    expect(await page.getByTestId('demo-command').innerText()).toContain('npx reachloop demo')
    expect(await figure('customers')).toBe(0)
    await page.getByRole('link', { name: 'Go to sources' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'home-checklist-en.png'), fullPage: true })
  })

  it('in Chinese, shows the same checklist in Chinese', async () => {
    await useLanguage('zh-CN')
    const checklist = page.getByTestId('getting-started')
    await checklist.getByText('开始使用').waitFor()
    await checklist.getByText('创建数据源并复制接入代码').waitFor()
    await checklist.getByText('或者：载入演示数据').waitFor()
    await page.getByTestId('figure-customers').getByText('客户总数').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'home-checklist-zh.png'), fullPage: true })
  })

  it('after the demo, shows its figures and charts with data, and no checklist, in Chinese and in English', async () => {
    const demo = await runCli(['demo', '--customers', '200', '--workspace', DEMO_WORKSPACE], { DATA_DIR: app.dataDir })
    expect(demo.code, demo.stderr).toBe(0)
    await page.reload()
    await chooseOption(page, page.getByTestId('workspace-switcher'), DEMO_WORKSPACE)
    // The rollups' consumer catches up with the demo's events within a few polls.
    await expect
      .poll(
        async () => {
          await page.reload()
          await page.getByTestId('figure-customers-value').waitFor()
          return figure('customers')
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(0)
    expect(await page.getByTestId('getting-started').count()).toBe(0)
    await page.getByTestId('home-period').getByText('近 30 天').click()
    await expect.poll(() => page.getByText(/ 至 /).first().innerText()).toMatch(/\d{4}-\d{2}-\d{2} 至/)
    for (const key of ['events', 'activeCustomers', 'orders', 'revenue']) expect(await figure(key), key).toBeGreaterThan(0)
    expect(await page.getByTestId('figure-revenue-value').innerText()).toMatch(/¥/)
    // Each chart drew on its canvas, and describes data (ECharts' aria label names its series and values).
    for (const chart of ['home-customers-chart', 'home-events-chart', 'home-orders-chart']) {
      await page.getByTestId(chart).locator('canvas').first().waitFor()
      const label = (await page.getByTestId(chart).getAttribute('aria-label')) ?? ''
      expect(label, chart).toMatch(/\d/)
    }
    expect(await page.getByTestId('home-events-chart').getAttribute('aria-label')).toContain('门店收银')
    await page.waitForTimeout(500)
    await page.screenshot({ path: join(SCREENSHOTS, 'home-demo-zh.png'), fullPage: true })

    await useLanguage('en-US')
    await page.getByTestId('home-period').getByText('Last 30 days').click()
    await page.getByTestId('figure-revenue').getByText('Revenue').waitFor()
    await page.getByTestId('home-orders-chart').locator('canvas').first().waitFor()
    expect(await page.getByTestId('getting-started').count()).toBe(0)
    expect(await figure('customers')).toBeGreaterThan(0)
    await page.waitForTimeout(500)
    await page.screenshot({ path: join(SCREENSHOTS, 'home-demo-en.png'), fullPage: true })
  })

  it('stacks the figure cards on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.reload()
    await page.getByTestId('figure-customers').waitFor()
    const first = await page.getByTestId('figure-customers').boundingBox()
    const second = await page.getByTestId('figure-newCustomers').boundingBox()
    expect(first && second && second.y >= first.y + first.height).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: join(SCREENSHOTS, 'home-phone-en.png'), fullPage: true })
  })
})
