import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { OWNER, SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

const MEMBERS = [
  { userId: 'sms-1', name: 'Liu Yang', phone: '13800138001' },
  { userId: 'sms-2', name: 'Zhou Min', phone: '13800138002' },
  { userId: 'sms-3', name: 'Wu Lei', phone: '13800138003' },
]

/** A stand-in for Aliyun's SMS endpoint: every SendSms succeeds with its own BizId. */
async function startAliyunStandIn(): Promise<{ server: Server; url: string; sends: () => number }> {
  let sends = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      sends++
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `b-${sends}`, RequestId: 'r' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sends: () => sends }
}

/** What `find` answers once it answers something, looking every half second (expect.poll is for tests, not their set-up). */
async function until<T>(what: string, timeoutMs: number, find: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`${what} did not come within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

describe('console: a broadcast of an SMS template to a segment, its progress, its messages and the timeline', () => {
  let app: ConsoleApp
  let page: Page
  let aliyun: Awaited<ReturnType<typeof startAliyunStandIn>>
  let admin: <T>(method: string, path: string, body?: unknown) => Promise<T>
  const profileIds: string[] = []
  let profileUrl = ''

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'App', kind: 'app' } })
    page = app.page
    aliyun = await startAliyunStandIn()
    await app.send(
      MEMBERS.map((m) => ({ type: 'identify', userId: m.userId, traits: { name: m.name, phone: m.phone, sms_subscribe: 'opted_in' } })),
    )
    // The owner's session, for the API calls that set the scene.
    const login = await fetch(`${app.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    admin = async <T>(method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${app.server.url}${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await answer.text()
      if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text}`)
      return (text ? JSON.parse(text) : {}) as T
    }

    for (const m of MEMBERS)
      profileIds.push(
        await until(`the profile of ${m.userId}`, 20_000, () =>
          admin<{ id: string }>('GET', `/api/v1/profiles/by-identifier/user_id/${m.userId}`).then(
            (p) => p.id,
            () => undefined,
          ),
        ),
      )
    const segment = await admin<{ id: string }>('POST', '/api/v1/segments', { name: 'SMS members', kind: 'static' })
    await admin('POST', `/api/v1/segments/${segment.id}/members`, {
      mode: 'append',
      identifierType: 'user_id',
      values: MEMBERS.map((m) => m.userId),
    })
    const account = await admin<{ id: string }>('POST', '/api/v1/messaging/providers', {
      kind: 'aliyun_sms',
      name: 'Aliyun SMS',
      config: { accessKeyId: 'LTAI-test-id', accessKeySecret: 'test-secret', region: 'cn-hangzhou', baseUrl: aliyun.url },
      isDefault: true,
    })
    const template = await admin<{ id: string }>('POST', '/api/v1/messaging/templates', {
      name: 'Order shipped',
      category: 'transactional',
      providerAccountId: account.id,
      draft: {
        channel: 'sms',
        templateCode: 'SMS_154950909',
        signName: '小店',
        text: '${name}，您的订单已发货',
        params: [{ key: 'name', value: '{{ profile.name }}' }],
      },
    })
    await admin('POST', `/api/v1/messaging/templates/${template.id}/publish`)
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    if (aliyun) await new Promise((resolve) => aliyun.server.close(resolve))
  })

  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true })
  /** Opens the Messaging submenu of the navigation, unless it is open (it opens by itself on its pages). */
  const openMessagingMenu = async () => {
    await page.getByTestId('nav-profiles').waitFor()
    if (!(await page.getByTestId('nav-broadcasts').isVisible())) await page.getByText('Messaging', { exact: true }).click()
    await page.getByTestId('nav-broadcasts').waitFor()
  }
  const switchLanguage = async (to: 'zh' | 'en') => {
    await page.getByTestId('language-switch').click()
    await page
      .getByTestId('language-switch')
      .getByText(to === 'zh' ? 'English' : '中文')
      .waitFor()
  }

  it('creates a broadcast to send now and watches its progress reach 100 %', async () => {
    await app.signIn()
    await openMessagingMenu()
    await page.getByTestId('nav-broadcasts').click()
    await page.getByTestId('new-broadcast').click()
    await page.getByTestId('broadcast-name').fill('Shipping notice')
    await chooseOption(page, page.getByTestId('broadcast-template'), 'Order shipped · SMS')
    await chooseOption(page, page.getByTestId('broadcast-segment'), 'SMS members (3)')
    await page.getByTestId('create-broadcast').click()

    await page.getByTestId('broadcast-name').getByText('Shipping notice').waitFor()
    const percent = () => page.getByTestId('latest-run').getByTestId('run-progress').getAttribute('data-percent')
    await expect.poll(percent, { timeout: 90_000, interval: 500 }).toBe('100')
    await expect.poll(async () => (await page.getByTestId('run-sent').innerText()).trim(), { timeout: 10_000 }).toBe('3')
    expect((await page.getByTestId('run-audience').innerText()).trim()).toBe('3')
    expect((await page.getByTestId('run-failed').innerText()).trim()).toBe('0')
    expect(aliyun.sends()).toBe(3)
    await page.getByTestId('broadcast-state').getByText('Completed').waitFor({ timeout: 15_000 })
    await page.getByText('Send now').waitFor()
    await screenshot('broadcast-en.png')
    await switchLanguage('zh')
    await page.getByTestId('broadcast-state').getByText('已完成').waitFor()
    await page.getByText('立即发送').waitFor()
    await screenshot('broadcast-zh.png')
    await switchLanguage('en')
  })

  it('opens the message log filtered by the broadcast, then a message with its statuses and provider answer', async () => {
    await page.getByTestId('broadcast-messages').click()
    await page.getByTestId('filter-broadcast').getByText('Broadcast: Shipping notice').waitFor()
    const log = page.getByTestId('message-log')
    await expect.poll(() => log.getByTestId('open-message').count(), { timeout: 15_000 }).toBe(3)
    expect(await log.getByTestId('status-sent').count()).toBe(3)
    expect(await log.getByText('Order shipped').count()).toBe(3)
    await expect.poll(() => log.getByText('+8613800138001').count()).toBe(1)

    await log.getByTestId('open-message').first().click()
    const timeline = page.getByTestId('message-timeline')
    await timeline.getByText('Queued', { exact: true }).waitFor()
    await timeline.getByText('Sent', { exact: true }).waitFor()
    await page
      .getByTestId('message-sms')
      .getByText(/【小店】.+，您的订单已发货/)
      .waitFor()
    await page.getByTestId('message-attempts').getByText('1', { exact: true }).first().waitFor()
    expect(await page.getByTestId('provider-response').innerText()).toContain('"Code": "OK"')
    await screenshot('message-en.png')
    await switchLanguage('zh')
    await timeline.getByText('已发送', { exact: true }).waitFor()
    await page.getByText('发送尝试').waitFor()
    await screenshot('message-zh.png')
  })

  it('shows 消息已发送 on the member’s timeline', async () => {
    await page.getByTestId('message-profile').click()
    await page.getByTestId('profile-consents').waitFor()
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('profile-timeline').getByText('消息已发送').count()) > 0) return true
          await page.reload()
          await page.getByTestId('profile-consents').waitFor()
          return false
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true)
    expect(await page.getByTestId('profile-timeline').innerText()).toContain('短信')
    await screenshot('profile-messages-zh.png')
    await switchLanguage('en')
    await page.getByTestId('profile-timeline').getByText('Message sent').first().waitFor()
    profileUrl = page.url()
  })

  it('counts the day’s sends on the delivery statistics page', async () => {
    await openMessagingMenu()
    await page.getByTestId('nav-messaging-stats').click()
    const table = page.getByTestId('stats-channels')
    await table.getByText('SMS').waitFor()
    expect(await table.locator('tr', { hasText: 'SMS' }).innerText()).toMatch(/SMS\s+3\s+3\s+0\s+0\s+0/)
    await page.getByTestId('stats-outcomes').waitFor()
    // The bars grow in for a moment.
    await page.waitForTimeout(1500)
    await screenshot('delivery-stats-en.png')
    await switchLanguage('zh')
    await table.getByText('短信').waitFor()
    await page.waitForTimeout(1500)
    await screenshot('delivery-stats-zh.png')
  })

  it('shows the SMS consent the sms_subscribe trait recorded, and unsubscribes and opts in again from the profile', async () => {
    // In Chinese, as the statistics left the console.
    await page.goto(profileUrl)
    const sms = page.getByTestId('profile-consents').locator('tr', { hasText: '营销短信' })
    // A log consumer records it shortly after ingestion.
    await expect
      .poll(
        async () => {
          if ((await sms.getByText('已订阅').count()) > 0) return true
          await page.reload()
          await page.getByTestId('profile-consents').locator('tr', { hasText: '营销短信' }).waitFor()
          return false
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe(true)
    await sms.getByText('客户属性上报').waitFor()
    await sms.getByTestId('consent-marketing_sms').click()
    await sms.getByText('已退订').waitFor()
    await sms.getByText('控制台').waitFor()
    // The change is on the timeline too, once the page loads it again.
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('profile-timeline').getByText('已退订').count()) > 0) return true
          await page.reload()
          await sms.getByText('已退订').waitFor()
          return false
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true)
    await screenshot('profile-consent-zh.png')
    await sms.getByTestId('consent-marketing_sms').click()
    await sms.getByText('已订阅').waitFor()
  })
})
