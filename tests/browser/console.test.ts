import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '@reachloop/server/testing'
import { startProcess } from '../support/processes.js'
import { launchChromium } from './support/browser.js'

const SCREENSHOTS = join(import.meta.dirname, 'screenshots')

describe('console: first run to audit log, in Chinese and English', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-browser-'))
  let server: Awaited<ReturnType<typeof startProcess>>
  let browser: Browser
  let page: Page

  const openData = async () => {
    const database = await openDatabase({ dataDir })
    const workspace = await database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()
    return { database, workspaceId: workspace.id }
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    server = await startProcess('start', { DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } })
  })
  afterAll(async () => {
    await browser?.close()
    server?.child.kill('SIGTERM')
    await server?.exited
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('sets up, signs in again, adds a marketer, finds it in the audit log, and switches to English', async () => {
    await page.goto(server.url)
    await page.getByTestId('setup-page').waitFor()
    expect(await page.getByText('欢迎使用 Reachloop').isVisible()).toBe(true)
    await page.getByTestId('setup-workspace').fill('洗车连锁')
    await page.getByTestId('setup-name').fill('王店长')
    await page.getByTestId('setup-email').fill('owner@carwash.example')
    await page.getByTestId('setup-password').fill('owner-password-1')
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('workspace-switcher').waitFor()
    expect(await page.getByTestId('workspace-switcher').innerText()).toContain('洗车连锁')

    // Sign out, then sign in with the new account.
    await page.getByTestId('user-menu').hover()
    await page.getByTestId('sign-out').click()
    await page.getByTestId('login-page').waitFor()
    await page.getByTestId('login-email').fill('owner@carwash.example')
    await page.getByTestId('login-password').fill('owner-password-1')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('nav-users').click()
    await page.getByTestId('users-table').waitFor()

    // Add a user with the marketer role.
    await page.getByTestId('add-user').click()
    await page.getByTestId('add-user-email').fill('li.marketing@carwash.example')
    await page.getByTestId('add-user-name').fill('李营销')
    await page.getByTestId('add-user-password').fill('marketer-password-1')
    await page.getByTestId('add-user-submit').click()
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'li.marketing@carwash.example' })
    await row.waitFor()
    expect(await row.innerText()).toContain('营销运营')

    // The change is in the audit log, with who made it.
    await page.getByTestId('nav-audit').click()
    const entry = page.getByTestId('audit-table').locator('tr', { hasText: 'user.create' }).first()
    await entry.waitFor()
    expect(await entry.innerText()).toContain('owner@carwash.example')
    await entry.locator('.ant-table-row-expand-icon').click()
    await page.getByText('"email": "li.marketing@carwash.example"').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-zh.png'), fullPage: true })

    // Switch the console to English.
    await page.getByTestId('language-switch').click()
    await page.getByText('Audit log', { exact: true }).first().waitFor()
    expect(await page.getByText('审计日志').count()).toBe(0)
    await page.getByTestId('nav-users').click()
    expect(await page.getByTestId('users-table').locator('tr', { hasText: 'li.marketing@carwash.example' }).innerText()).toContain(
      'Marketer',
    )
    await page.screenshot({ path: join(SCREENSHOTS, 'users-en.png'), fullPage: true })

    // English survives a reload.
    await page.reload()
    await page.getByText('Users & roles', { exact: true }).first().waitFor()
  })

  it('shows the job queues with a chart and retries a dead job, which then runs', async () => {
    // A job that died while the server was down (the embedded database admits one process at a time).
    server.child.kill('SIGTERM')
    await server.exited
    const { database, workspaceId } = await openData()
    const now = new Date()
    await database.db
      .insertInto('jobs')
      .values({
        queue: 'system.ping',
        workspace_id: workspaceId,
        payload: '{}',
        state: 'dead',
        attempts: 3,
        max_attempts: 3,
        run_at: now,
        last_error: 'Error: provider timed out',
        created_at: now,
        updated_at: now,
        finished_at: now,
        lease_expires_at: null,
        locked_by: null,
        idempotency_key: null,
      })
      .execute()
    await database.close()
    server = await startProcess('start', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: new URL(server.url).port, JOB_POLL_MS: '100' })

    await page.goto(`${server.url}/jobs`)
    await page.getByText('Jobs per queue').waitFor()
    await page.getByTestId('jobs-chart').locator('canvas').waitFor()
    const row = page.getByTestId('jobs-table').locator('tr', { hasText: 'system.ping' })
    expect(await row.innerText()).toContain('provider timed out')
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs-en.png'), fullPage: true })
    await row.getByRole('button', { name: 'Retry' }).click()
    await page.getByText('The job is queued again').waitFor()
    // The worker runs it; the page refreshes by itself.
    await row.getByText('Done').waitFor({ timeout: 20_000 })
  })
})
