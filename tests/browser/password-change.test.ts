import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInPage } from './support/browser.js'
import { OWNER, SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: changing one’s own password from the user menu', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp()
    page = app.page
  })
  afterAll(() => app?.close())

  const openForm = async () => {
    await page.getByTestId('user-menu').hover()
    await page.getByTestId('change-password').click()
    await page.getByTestId('password-current').waitFor()
  }

  it('says a wrong current password on the form, then changes it; only the new one signs in', async () => {
    await app.signIn()
    await page.getByTestId('workspace-switcher').waitFor()

    await openForm()
    await page.getByTestId('password-current').fill('not-the-password')
    await page.getByTestId('password-new').fill('a-new-password-2')
    await page.getByTestId('password-confirm').fill('a-new-password-2')
    await page.getByTestId('password-submit').click()
    const error = page.getByTestId('password-error')
    await error.waitFor()
    expect(await error.innerText()).toBe('The current password is wrong.')
    await page.screenshot({ path: join(SCREENSHOTS, 'password-wrong-en.png') })

    // In Chinese the same refusal reads in Chinese; the form keeps what was typed.
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByTestId('language-switch').click()
    await openForm()
    await page.getByTestId('password-current').fill('not-the-password')
    await page.getByTestId('password-new').fill('a-new-password-2')
    await page.getByTestId('password-confirm').fill('a-new-password-2')
    await page.getByTestId('password-submit').click()
    await error.waitFor()
    expect(await error.innerText()).toBe('当前密码不正确。')

    await page.getByTestId('password-current').fill(OWNER.password)
    await page.getByTestId('password-submit').click()
    await page.getByText('密码已修改，其他设备上的登录已退出').waitFor()
    await page.getByTestId('password-current').waitFor({ state: 'hidden' })

    // This browser is still signed in; after signing out, the old password fails and the new one works.
    await page.getByTestId('user-menu').hover()
    await page.getByTestId('sign-out').click()
    await page.getByTestId('login-page').waitFor()
    await signInPage(page, app.server.url, OWNER.email, OWNER.password)
    await page.getByText('邮箱或密码错误。').waitFor()
    await signInPage(page, app.server.url, OWNER.email, 'a-new-password-2')
    await page.getByTestId('workspace-switcher').waitFor()
  })
})
