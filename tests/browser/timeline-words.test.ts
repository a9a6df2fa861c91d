import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OWNER, SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: a profile timeline told in words, money as money', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'Store POS', kind: 'store_pos' } })
    page = app.page
    await app.send([
      { type: 'identify', userId: 'member-9', traits: { name: 'Chen Jing', city: '重庆' }, timestamp: '2026-11-20T09:00:00Z' },
      {
        type: 'track',
        userId: 'member-9',
        event: 'Store Visited',
        properties: { store_id: 'cq-1', city: '重庆' },
        timestamp: '2026-11-20T09:01:00Z',
      },
      {
        type: 'track',
        userId: 'member-9',
        event: 'Order Completed',
        properties: {
          order_id: 'SO-9-1',
          total: 12_800,
          subtotal: 13_100,
          discount: 300,
          currency: 'CNY',
          coupon: 'WELCOME20',
          products: [{ product_id: 'wash-premium', name: '精洗', price: 6800, quantity: 1 }, { product_id: 'wax' }],
          payment_method: 'wechat_pay',
        },
        timestamp: '2026-11-20T09:30:00Z',
      },
      {
        type: 'track',
        userId: 'member-9',
        event: 'Coupon Redeemed',
        properties: { coupon: 'WELCOME20', order_id: 'SO-9-1', discount: 300, currency: 'CNY' },
        timestamp: '2026-11-20T09:30:01Z',
      },
    ])
  })
  afterAll(() => app?.close())

  /** The profile of a user id, asked through the console's own session. */
  const profileOf = (userId: string) =>
    page.evaluate(async (id) => {
      const workspace = localStorage.getItem('reachloop.workspace') ?? ''
      const answer = await fetch(`/api/v1/profiles/by-identifier/user_id/${id}`, { headers: { 'x-workspace-id': workspace } })
      return answer.ok ? ((await answer.json()) as { id: string }).id : null
    }, userId)

  const timelineText = async () => (await page.getByTestId('profile-timeline').innerText()).replace(/[\u00a0\u202f]/g, ' ')

  it('signs in after a wrong password without the refusal lingering', async () => {
    await page.goto(app.server.url)
    await page.getByTestId('login-email').fill(OWNER.email)
    await page.getByTestId('login-password').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('login-error').getByText('Email or password is wrong.').waitFor()
    await page.getByTestId('login-password').fill(OWNER.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('user-menu').waitFor()
    expect(await page.getByText('Email or password is wrong.').count()).toBe(0)
  })

  it('in English, tells the coupon redemption with the discount as money, and the order with its total', async () => {
    let id: string | null = null
    await expect.poll(async () => (id = await profileOf('member-9')), { timeout: 15_000 }).not.toBeNull()
    await page.goto(`${app.server.url}/profiles/${id}`)
    await page.getByTestId('profile-timeline').getByText('Redeemed coupon').waitFor({ timeout: 15_000 })
    await expect.poll(timelineText, { timeout: 15_000 }).toContain('¥3.00 off')
    const text = await timelineText()
    expect(text).toContain('Completed order')
    expect(text).toContain('¥128.00')
    expect(text).toContain('2 items: 精洗, Waxing')
    expect(text).toContain('Paid by WeChat Pay')
    expect(text).toContain('Visited store')
    expect(text).not.toMatch(/discount: 300|total: 12800/)
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-words-en.png'), fullPage: true })
  })

  it('in Chinese, tells the same events in Chinese words', async () => {
    await page.evaluate(() => localStorage.setItem('reachloop.language', 'zh-CN'))
    await page.reload()
    await page.getByTestId('profile-timeline').getByText('使用优惠券').waitFor({ timeout: 15_000 })
    await expect.poll(timelineText, { timeout: 15_000 }).toContain('优惠 ¥3.00')
    const text = await timelineText()
    expect(text).toContain('完成订单')
    expect(text).toContain('¥128.00')
    expect(text).toContain('2 件商品：精洗、打蜡')
    expect(text).toContain('支付：微信支付')
    expect(text).toContain('到店')
    expect(text).toContain('优惠券 WELCOME20')
    expect(text).not.toMatch(/Coupon Redeemed|Order Completed|Store Visited/)
    // The identifiers table heads its values in Chinese too.
    expect(await page.getByTestId('profile-identifiers').innerText()).toContain('值')
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-words-zh.png'), fullPage: true })
  })
})
