import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseOption } from './support/browser.js'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: a CSV file of identifiers fills a static segment and tags customers', () => {
  const files = mkdtempSync(join(tmpdir(), 'reachloop-browser-csv-'))
  // Three customers of the file (phones written three ways, a quoted name with a comma) and a phone nobody has.
  const fair = join(files, 'fair-visitors.csv')
  writeFileSync(
    fair,
    'name,phone\n"Liu, Yang",13800001111\nZhou Min, 138 0000 2222 \n"Wu ""Lei""",+86 138 0000 3333\nNobody,13900009999\n,\n',
  )
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'App', kind: 'app' } })
    page = app.page
    const batch = [
      { type: 'identify', userId: 'liu', traits: { name: 'Liu Yang', phone: '13800001111' } },
      { type: 'identify', userId: 'zhou', traits: { name: 'Zhou Min', phone: '13800002222' } },
      { type: 'identify', userId: 'wu', traits: { name: 'Wu Lei', phone: '13800003333' } },
      { type: 'identify', userId: 'chen', traits: { name: 'Chen Jie', phone: '13800004444' } },
    ]
    await app.send(batch)
  })
  afterAll(async () => {
    await app?.close()
    rmSync(files, { recursive: true, force: true })
  })

  const choose = (select: ReturnType<Page['locator']>, option: string) => chooseOption(page, select, option)
  const text = async (testId: string) => (await page.getByTestId(testId).innerText()).trim()

  it("replaces a static segment's list with the phone column of a CSV file and shows who was not found", async () => {
    await app.signIn()
    await page.getByTestId('nav-segments').click()
    await page.getByTestId('new-segment').click()
    await page.getByTestId('segment-name').fill('Car fair visitors')
    await page.getByText('Static (a list)').click()
    await page.getByTestId('save-segment').click()
    await expect.poll(() => text('segment-size'), { timeout: 20_000 }).toBe('0')

    // Pasting still works: Chen Jie by user id, appended. Nothing goes before a mode is chosen.
    await choose(page.getByTestId('static-type'), 'user_id')
    await page.getByTestId('static-values').fill('chen')
    expect(await page.getByTestId('static-submit').isDisabled()).toBe(true)
    await page.getByTestId('static-mode').getByText('Append').click()
    await page.getByTestId('static-submit').click()
    await expect.poll(() => text('upload-result-size'), { timeout: 15_000 }).toBe('1')
    await expect.poll(() => text('segment-size')).toBe('1')

    // The file: its header names the phone column, which is read by default for phones.
    await choose(page.getByTestId('static-type'), 'phone')
    await page.locator('input[type=file]').setInputFiles(fair)
    await page.getByTestId('csv-file').getByText('fair-visitors.csv').waitFor()
    expect(await text('identifiers-read')).toContain('4 identifiers read')
    expect(await page.getByTestId('csv-header').isChecked()).toBe(true)
    expect(await text('csv-column')).toContain('phone')
    await page.getByTestId('static-mode').getByText('Replace the whole list').click()
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-csv-upload-en.png'), fullPage: true })
    await page.getByTestId('static-submit').click()

    // Chen Jie is not in the file: replaced by its three customers; one phone belongs to nobody.
    await expect.poll(() => text('upload-result-size'), { timeout: 15_000 }).toBe('3')
    expect(await text('upload-result-unknown')).toBe('1')
    expect(await text('upload-result')).toContain('Exited: 1')
    await expect.poll(() => text('segment-size')).toBe('3')
    for (const name of ['Liu Yang', 'Zhou Min', 'Wu Lei']) await page.getByTestId('segment-members').getByText(name).waitFor()
    expect(await page.getByTestId('segment-members').getByText('Chen Jie').count()).toBe(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-csv-uploaded-en.png'), fullPage: true })
  })

  it('replaces a list from a long file in one request, so no member leaves and comes back on the way', async () => {
    // 80,000 phones, about 1.4 MB of JSON: more than the default body limit, taken by this route. Chen Jie first, Wu Lei last.
    const rows = ['13800004444', ...Array.from({ length: 79_998 }, (_, i) => `1390${String(i).padStart(7, '0')}`), '13800003333']
    const long = join(files, 'long.csv')
    writeFileSync(long, `phone\n${rows.join('\n')}\n`)
    // The request is held back a moment, so the progress bar is there to be seen.
    const posts: string[] = []
    await page.route('**/api/v1/segments/*/members', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      posts.push((route.request().postDataJSON() as { mode: string }).mode)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      return route.continue()
    })

    await page.locator('input[type=file]').setInputFiles(long)
    await expect.poll(() => text('identifiers-read')).toContain('80000 identifiers read')
    await page.getByTestId('static-mode').getByText('Replace the whole list').click()
    await page.getByTestId('static-submit').click()
    await page.getByTestId('upload-progress').waitFor()
    await expect.poll(() => text('upload-result-unknown'), { timeout: 60_000 }).toBe('79998')
    await page.unrouteAll()
    expect(await text('upload-result-size')).toBe('2')
    expect(posts).toEqual(['replace'])
    await expect.poll(() => text('segment-size')).toBe('2')
  })

  it("tags the customers of a CSV file from the tags page and shows the tag's size", async () => {
    await page.getByTestId('nav-tags').click()
    await page.getByTestId('new-tag').click()
    await page.getByTestId('tag-name').fill('Fair visitors')
    await page.getByTestId('create-tag-submit').click()
    await page.getByTestId('apply-tag-Fair visitors').click()
    await choose(page.getByTestId('apply-tag-type'), 'phone')
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles(fair)
    await expect.poll(() => text('identifiers-read')).toContain('4 identifiers read')
    await page.getByTestId('apply-tag-submit').click()

    await expect.poll(() => text('upload-result-size'), { timeout: 15_000 }).toBe('3')
    expect(await text('upload-result-unknown')).toBe('1')
    await page.getByTestId('tags-table').locator('tr', { hasText: 'Fair visitors' }).getByText('3', { exact: true }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'tags-csv-upload-en.png'), fullPage: true })
  })
})
