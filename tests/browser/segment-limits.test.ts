import { join } from 'node:path'
import type { Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

/** Holds the browser's requests to `path` until released, so the console's "running" state can be seen and acted on. */
function holdRequests(page: Page, path: string) {
  let release: () => void = () => undefined
  let held = new Promise<void>((resolve) => (release = resolve))
  const handler = async (route: Route) => {
    await held
    // A request the console abandoned meanwhile (Cancel) cannot continue: that is the point.
    await route.continue().catch(() => undefined)
  }
  return {
    start: () => page.route(`**${path}`, handler),
    stop: async () => {
      release()
      await page.unroute(`**${path}`, handler)
      held = Promise.resolve()
    },
  }
}

describe('console: previews and computations that run long', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    // A tiny preview limit: every real preview runs past it on the server.
    app = await startConsoleApp({ source: { name: 'App', kind: 'app' }, env: { PREVIEW_TIMEOUT_MS: '1' } })
    page = app.page
    await app.send([
      { type: 'identify', userId: 'cq-buyer', traits: { name: 'Liu Yang', city: 'Chongqing' } },
      { type: 'track', userId: 'cq-buyer', event: 'Order Completed', properties: { total: 8800 } },
    ])
  })
  afterAll(() => app?.close())

  it('shows a running preview with Cancel, cancels it, and shows the timeout in English and Chinese', async () => {
    await app.signIn()
    const previews = holdRequests(page, '/api/v1/segments/preview')
    await previews.start()
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()

    // The count is asked for a moment after the builder opens, and stays running while held.
    await page.getByTestId('preview-running').waitFor()
    expect(await page.getByTestId('preview-running').innerText()).toContain('Counting')
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-preview-running-en.png'), fullPage: true })
    await page.getByTestId('cancel-preview').click()
    await page.getByTestId('preview-cancelled').waitFor()
    expect(await page.getByTestId('preview-running').count()).toBe(0)

    // Asked again and let through: the server stops it at PREVIEW_TIMEOUT_MS and the console says so.
    await previews.stop()
    await page.getByTestId('preview-again').click()
    const timedOut = page.getByTestId('preview-timed-out')
    await timedOut.waitFor({ timeout: 15_000 })
    expect(await timedOut.innerText()).toBe(
      'Counting took longer than 0.001 s and was stopped. Narrow the definition (a shorter time window, fewer or more specific conditions) and try again.',
    )
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-preview-timeout-en.png'), fullPage: true })

    await page.getByTestId('language-switch').click()
    await expect.poll(() => timedOut.innerText()).toContain('秒仍未算完')
    expect(await timedOut.innerText()).toBe(
      '人数预估超过 0.001 秒仍未算完，已停止。请缩小条件范围（缩短时间窗口，减少条件或让条件更具体）后重试。',
    )
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-preview-timeout-zh.png'), fullPage: true })
    await page.getByTestId('language-switch').click()
  })

  it('shows "compute now" running with its time and a Cancel button', async () => {
    await page.getByTestId('segment-name').fill('Buyers')
    await page.getByTestId('save-segment').click()
    await expect.poll(async () => (await page.getByTestId('segment-size').innerText()).trim(), { timeout: 20_000 }).toBe('1')

    const computations = holdRequests(page, '/api/v1/segments/*/compute')
    await computations.start()
    await page.getByTestId('compute-segment').click()
    const running = page.getByTestId('compute-running')
    await running.waitFor()
    await expect.poll(() => running.innerText(), { timeout: 5000 }).toMatch(/Computing… [1-9]\d* s so far/)
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-compute-running-en.png'), fullPage: true })
    // The held computation never reached the server: there is nothing there to cancel, and the console says so.
    await page.getByTestId('cancel-compute').click()
    await page.getByText('No computation is running to cancel').waitFor()
    await computations.stop()
    await page.getByText(/Computed: 0 entered, 0 exited/).waitFor({ timeout: 20_000 })
    await expect.poll(() => running.count()).toBe(0)
    await page.getByTestId('compute-segment').waitFor()
  })
})
