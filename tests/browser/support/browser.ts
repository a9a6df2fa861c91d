import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

/** Headless Debian Chromium with the flags this network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
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
  const noDropdownOpen = async () => {
    for (let i = 0; i < 100 && (await page.locator('.ant-select-dropdown:visible').count()) > 0; i++) await page.waitForTimeout(100)
  }
  // The test id may sit on the select's root or on its input; the root shows the chosen option as a title.
  const shown = () =>
    select.evaluate(
      (el, title) =>
        [...(el.closest('.ant-select') ?? el).querySelectorAll('.ant-select-content[title], .ant-select-selection-item[title]')].some(
          (item) => item.getAttribute('title') === title,
        ),
      option,
    )
  // A virtual list that scrolls as the option is brought into view can put another option under the pointer
  // on a loaded machine, so the choice is checked on the select itself and made again if it did not take.
  for (let attempt = 1; attempt <= 3; attempt++) {
    await noDropdownOpen()
    await select.click()
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click()
    for (let i = 0; i < 20; i++) {
      if (await shown()) return
      await page.waitForTimeout(100)
    }
  }
  throw new Error(`the select did not take the option "${option}"`)
}
