import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock, type Clock } from '@reachloop/domain'
import { afterAll, beforeAll } from 'vitest'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify'
import { pino } from 'pino'
import { loadConfig, type Config } from '../platform/config/config.js'
import type { AppContext } from '../platform/context.js'
import { SecretBox, loadSecretKey } from '../platform/crypto/secret-box.js'
import { JobQueue } from '../platform/jobs/job-queue.js'
import { buildServerApp } from '../runtime/job-handlers.js'
import { contextParts } from '../runtime/modules.js'
import type { ModuleManifest } from '../platform/modules/module-manifest.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'

/** A server on a fresh database, driven with `inject()`, with a manual clock. */
export interface TestApp {
  ctx: AppContext
  app: FastifyInstance
  clock: ManualClock
  routeTable: RouteOptions[]
  testDatabase: TestDatabase
  close(): Promise<void>
}

export async function createTestApp(
  overrides: Partial<Config> = {},
  options: {
    clock?: Clock
    beforeReady?: (app: FastifyInstance) => void
    databaseServer?: string
    /** The modules the app runs (default: all of Reachloop's); a test adds one of its own here. */
    modules?: readonly ModuleManifest[]
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-test-'))
  const testDatabase = await createTestDatabase(options.databaseServer, options.modules)
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(new Date())
  const config: Config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), ...overrides }
  const ctx: AppContext = {
    config,
    database: testDatabase.database,
    db: testDatabase.database.db,
    clock,
    secrets: new SecretBox(loadSecretKey(undefined, dataDir)),
    jobs: new JobQueue(testDatabase.database.db, clock),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    state: { ready: true, lastIngestAt: 0 },
    ...contextParts(testDatabase.database.db, options.modules),
  }
  const routeTable: RouteOptions[] = []
  const app = await buildServerApp(ctx, { routeTable, ...(options.modules ? { modules: options.modules } : {}) })
  options.beforeReady?.(app)
  await app.ready()
  return {
    ctx,
    app,
    clock,
    routeTable,
    testDatabase,
    close: async () => {
      await app.close()
      await testDatabase.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A signed-in caller: sends its session cookie (or bearer token) and chosen workspace on every request. */
export class TestCaller {
  constructor(
    private readonly app: FastifyInstance,
    readonly credentials: { cookie?: string; token?: string },
    public workspaceId?: string,
  ) {}

  request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) }
    if (this.credentials.cookie) headers.cookie = this.credentials.cookie
    if (this.credentials.token) headers.authorization = `Bearer ${this.credentials.token}`
    if (this.workspaceId && headers['x-workspace-id'] === undefined) headers['x-workspace-id'] = this.workspaceId
    return this.app.inject({ ...options, headers })
  }

  get(url: string) {
    return this.request({ method: 'GET', url })
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
  }
  patch(url: string, payload: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as Record<string, unknown> })
  }
  put(url: string, payload: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as Record<string, unknown> })
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url })
  }
}

const cookieOf = (response: LightMyRequestResponse): string => {
  const cookie = response.cookies.find((c) => c.name === 'rl_session')
  if (!cookie) throw new Error(`No session cookie in response ${response.statusCode}: ${response.body}`)
  return `rl_session=${cookie.value}`
}

/** Runs first-run setup and returns the owner, signed in to their new workspace. */
export async function setupOwner(
  app: FastifyInstance,
  input = { email: 'owner@example.com', password: 'owner-password', name: 'Owner', workspace: 'Acme' },
): Promise<TestCaller> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: input })
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`)
  const me = response.json<{ currentWorkspaceId: string }>()
  return new TestCaller(app, { cookie: cookieOf(response) }, me.currentWorkspaceId)
}

/** Signs in with email and password. */
export async function signIn(app: FastifyInstance, email: string, password: string): Promise<TestCaller> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
  const me = response.json<{ currentWorkspaceId: string }>()
  return new TestCaller(app, { cookie: cookieOf(response) }, me.currentWorkspaceId)
}

/** A test file's app and its signed-in owner, filled in before the first test. */
export interface OwnerApp {
  t: TestApp
  owner: TestCaller
}

/**
 * Gives the calling `describe` a fresh app with a signed-in owner (set up in `beforeAll`, closed
 * in `afterAll`).
 *
 * @example
 * const s = withOwnerApp()
 * it('lists users', async () => expect((await s.owner.get('/api/v1/users')).statusCode).toBe(200))
 */
export function withOwnerApp(): OwnerApp {
  const handle = {} as OwnerApp
  beforeAll(async () => {
    handle.t = await createTestApp()
    handle.owner = await setupOwner(handle.t.app)
  })
  afterAll(() => handle.t.close())
  return handle
}
