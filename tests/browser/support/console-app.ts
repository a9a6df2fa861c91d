import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { runCli, startProcess } from '../../support/processes.js'
import { launchChromium, signInPage } from './browser.js'

/** The owner every console test signs in as. */
export const OWNER = { email: 'ops@carwash.example', password: 'ops-password-1', workspace: 'Car Care' } as const
export const SCREENSHOTS = join(import.meta.dirname, '..', 'screenshots')

/** A running platform in a data directory of its own, a browser page on it, and how to feed it. */
export interface ConsoleApp {
  server: Awaited<ReturnType<typeof startProcess>>
  browser: Browser
  page: Page
  dataDir: string
  /** The write key of the source made at start (empty without one). */
  writeKey: string
  /** Sends tracking calls through the source, as an app would. */
  send(batch: object[]): Promise<void>
  signIn(): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the platform the way an operator does (CLI owner and source, then `start`) with fast
 * background polling and any other settings in `env`, and opens a page in English unless the test
 * picked another language.
 */
export async function startConsoleApp(
  options: { source?: { name: string; kind: string }; viewport?: { width: number; height: number }; env?: Record<string, string> } = {},
): Promise<ConsoleApp> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-browser-'))
  const env = { DATA_DIR: dataDir }
  expect(
    (await runCli(['create-owner', '--email', OWNER.email, '--password', OWNER.password, '--workspace', OWNER.workspace], env)).code,
  ).toBe(0)
  const writeKey = options.source
    ? (
        await runCli(['create-source', '--workspace', OWNER.workspace, '--name', options.source.name, '--kind', options.source.kind], env)
      ).stdout.trim()
    : ''
  const server = await startProcess('start', {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOG_POLL_MS: '100',
    JOB_POLL_MS: '100',
    ...options.env,
  })
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 1000 } })
  await page.addInitScript(() => localStorage.setItem('reachloop.language', localStorage.getItem('reachloop.language') ?? 'en-US'))
  return {
    server,
    browser,
    page,
    dataDir,
    writeKey,
    send: async (batch) => {
      const sent = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      })
      expect(sent.status).toBe(200)
    },
    signIn: () => signInPage(page, server.url, OWNER.email, OWNER.password),
    close: async () => {
      await browser.close()
      server.child.kill('SIGTERM')
      await server.exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
