import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, startConsoleApp, type ConsoleApp } from './support/console-app.js'

describe('console: deleting, duplicating and editing segments and tags', () => {
  let app: ConsoleApp
  let page: Page

  beforeAll(async () => {
    app = await startConsoleApp({ source: { name: 'App', kind: 'app' } })
    page = app.page
    await app.send([
      { type: 'identify', userId: 'cq-1', traits: { name: 'Liu Yang', city: '重庆' } },
      { type: 'identify', userId: 'cq-2', traits: { name: 'Wu Lei', city: '重庆' } },
      { type: 'identify', userId: 'cd-1', traits: { name: 'Zhou Min', city: '成都' } },
    ])
  })
  afterAll(() => app?.close())

  /** Calls the admin API as the signed-in owner, from the page. */
  const call = (method: string, path: string, body?: object) =>
    page.evaluate(
      async (request) => {
        const response = await fetch(request.path, {
          method: request.method,
          headers: {
            'x-workspace-id': localStorage.getItem('reachloop.workspace') ?? '',
            ...(request.body ? { 'content-type': 'application/json' } : {}),
          },
          ...(request.body ? { body: JSON.stringify(request.body) } : {}),
        })
        const text = await response.text()
        return (text ? JSON.parse(text) : {}) as { id: string }
      },
      { method, path, body },
    )
  const textOf = async (testId: string) => (await page.getByTestId(testId).innerText()).trim()
  /** Confirms the delete in the dialog that names `name` (a closing dialog of an earlier delete may still be in the page). */
  const confirmDelete = (name: string) => page.locator('.ant-modal-confirm', { hasText: name }).getByTestId('confirm-delete').click()
  const chongqing = { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: '重庆' }

  const housekeeping = async (names: { base: string; outer: string; copy: string; tag: string; renamed: string; inUse: string }) => {
    const base = await call('POST', '/api/v1/segments', { name: names.base, kind: 'dynamic', definition: chongqing })
    const outer = await call('POST', '/api/v1/segments', {
      name: names.outer,
      kind: 'dynamic',
      definition: { kind: 'and', children: [{ kind: 'segment', segmentId: base.id, member: true }] },
    })

    // In use: the confirmation, then the refusal naming the segment that uses it, as a link.
    await page.goto(`${app.server.url}/segments/${base.id}`)
    await expect.poll(() => textOf('segment-size'), { timeout: 20_000 }).toBe('2')
    await page.getByTestId('delete-segment').click()
    await confirmDelete(names.base)
    await page.getByTestId(`dependent-${names.outer}`).waitFor()
    await page.getByText(names.inUse).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, `segment-in-use-${names.inUse.length > 20 ? 'en' : 'zh'}.png`) })
    await page.getByTestId(`dependent-${names.outer}`).click()
    await page.waitForURL(`**/segments/${outer.id}`)
    await expect.poll(() => textOf('segment-size'), { timeout: 20_000 }).toBe('2')

    // Not in use: deleted, and gone from the list.
    await page.getByTestId('delete-segment').click()
    await confirmDelete(names.outer)
    // A delete waits for a computation of the segment that is still running (the new segment's first).
    await page.waitForURL(/\/segments$/, { timeout: 90_000 })
    await page.getByTestId(`open-segment-${names.base}`).waitFor()
    expect(await page.getByTestId(`open-segment-${names.outer}`).count()).toBe(0)

    // Duplicated: a copy of the same definition, computed as a new segment; the copy can go too.
    await page.getByTestId(`open-segment-${names.base}`).click()
    await page.getByTestId('duplicate-segment').click()
    await page.getByText(names.copy, { exact: true }).first().waitFor()
    expect(page.url()).not.toContain(base.id)
    await expect.poll(() => textOf('segment-size'), { timeout: 20_000 }).toBe('2')
    await page.getByTestId('delete-segment').click()
    await confirmDelete(names.copy)
    await page.waitForURL(/\/segments$/, { timeout: 90_000 })
    await page.getByTestId(`open-segment-${names.base}`).waitFor()
    expect(await page.getByTestId(`open-segment-${names.copy}`).count()).toBe(0)

    // A rule tag's editor: the live count of its definition, and a rename with a description.
    const tag = await call('POST', '/api/v1/tags', { name: names.tag, kind: 'rule', definition: chongqing })
    await page.getByTestId('nav-tags').click()
    await page.getByTestId(`edit-tag-${names.tag}`).click()
    await expect.poll(() => textOf('live-count'), { timeout: 15_000 }).toBe('2')
    await page.getByTestId('edit-tag-name').fill(names.renamed)
    await page.getByTestId('edit-tag-description').fill('Customers in Chongqing')
    await page.getByTestId('edit-tag-submit').click()
    await page.getByTestId(`tag-row-${names.renamed}`).waitFor()
    expect(await page.getByTestId(`tag-row-${names.tag}`).count()).toBe(0)

    // A tag a segment uses: the refusal names the segment; once it is gone, the tag can be deleted.
    const tagged = `${names.base} ★`
    const user = await call('POST', '/api/v1/segments', {
      name: tagged,
      kind: 'dynamic',
      definition: { kind: 'tag', tagId: tag.id, has: true },
    })
    await page.getByTestId(`delete-tag-${names.renamed}`).click()
    await confirmDelete(names.renamed)
    await page.getByTestId(`dependent-${tagged}`).waitFor()
    await page.keyboard.press('Escape')
    await call('DELETE', `/api/v1/segments/${user.id}`)
    await page.getByTestId(`delete-tag-${names.renamed}`).click()
    await confirmDelete(names.renamed)
    await expect.poll(() => page.getByTestId(`tag-row-${names.renamed}`).count(), { timeout: 20_000 }).toBe(0)
  }

  it('in English', async () => {
    await app.signIn()
    await page.getByTestId('nav-segments').waitFor()
    await housekeeping({
      base: 'Chongqing customers',
      outer: 'Chongqing regulars',
      copy: 'Chongqing customers (copy)',
      tag: 'Chongqing tag',
      renamed: 'Lives in Chongqing',
      inUse: '"Chongqing customers" is in use and cannot be deleted',
    })
  })

  it('in Chinese', async () => {
    await page.evaluate(() => localStorage.setItem('reachloop.language', 'zh-CN'))
    await page.reload()
    await page.getByTestId('nav-segments').waitFor()
    await housekeeping({
      base: '重庆客户',
      outer: '重庆常客',
      copy: '重庆客户（副本）',
      tag: '重庆标签',
      renamed: '住在重庆',
      inUse: '「重庆客户」正在被使用，不能删除',
    })
  })
})
