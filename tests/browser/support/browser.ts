import { chromium, type Browser, type Page } from 'playwright-core'

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
