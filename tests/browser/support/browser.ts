import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

/** Headless Debian Chromium with the flags this network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  })
}

/** Opens the console and signs in. */
export async function signInPage(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId('login-email').fill(email)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Picks an option of an Ant Design select, one dropdown at a time (a closing one must not catch the click). */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  for (let i = 0; i < 100 && (await page.locator('.ant-select-dropdown:visible').count()) > 0; i++) await page.waitForTimeout(100)
  await select.click()
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click()
}
