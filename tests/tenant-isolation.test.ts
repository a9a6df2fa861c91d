import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteContract } from '@reachloop/domain'
import { createTestApp, sampleOf, setupOwner, signIn, type TestApp, TestCaller } from '@reachloop/server/testing'
import { adminRoutes, expectRouteTableIsTheContract, expectWalksAllBut, routeName, type Exemptions } from './support/route-table.js'

/**
 * Walks every route the server registers and proves a member of workspace A can neither read nor
 * change workspace B's data. New routes are walked automatically; a new path parameter needs a
 * fixture below, and the test says so. A route none of the walks checks must be exempted below,
 * with its reason.
 */
describe('tenant isolation over the whole route table', () => {
  let t: TestApp
  let a: TestCaller
  let aToken: TestCaller
  let workspaceB: string
  const fixturesB: Record<string, string> = {}
  /** Strings that only workspace B's data contains: none may appear in a response to A. */
  const secretsOfB: string[] = []

  const snapshotB = async (): Promise<string> => {
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.columns
      WHERE column_name = 'workspace_id' AND table_schema = current_schema() ORDER BY table_name`.execute(t.ctx.db)
    const snapshot: Record<string, string[]> = {}
    for (const { table_name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table_name)} WHERE workspace_id = ${workspaceB}`.execute(
        t.ctx.db,
      )
      snapshot[table_name] = rows.rows.map((r) => JSON.stringify(r)).sort()
    }
    const workspace = await t.ctx.db.selectFrom('workspaces').selectAll().where('id', '=', workspaceB).execute()
    const users = await t.ctx.db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .selectAll('users')
      .where('memberships.workspace_id', '=', workspaceB)
      .execute()
    snapshot.workspaces = workspace.map((r) => JSON.stringify(r))
    snapshot.users = users.map((r) => JSON.stringify(r)).sort()
    return JSON.stringify(snapshot)
  }

  beforeAll(async () => {
    t = await createTestApp()
    a = await setupOwner(t.app, { email: 'alice@a.example', password: 'alice-password', name: 'Alice', workspace: 'Workspace A' })
    // B is created by its own owner through the API, then filled with data of every kind.
    const created = await a.post('/api/v1/users', { email: 'bob@b.example', name: 'Bob', role: 'admin', password: 'bob-password' })
    expect(created.statusCode).toBe(201)
    const bob = await signIn(t.app, 'bob@b.example', 'bob-password')
    const ws = await bob.post('/api/v1/workspaces', { name: 'Workspace B secret' })
    expect(ws.statusCode).toBe(201)
    workspaceB = ws.json().id
    bob.workspaceId = workspaceB
    // Bob leaves A so that A holds nothing of B's people; B's data is Bob's alone.
    expect((await a.delete(`/api/v1/users/${created.json().id}`)).statusCode).toBe(200)
    const carol = await bob.post('/api/v1/users', {
      email: 'carol@b.example',
      name: 'Carol B',
      role: 'marketer',
      password: 'carol-password',
    })
    fixturesB.users = carol.json().id
    const token = await bob.post('/api/v1/tokens', { name: 'B import script' })
    fixturesB.tokens = token.json().token.id
    const [jobId] = await t.ctx.jobs.enqueue({
      queue: 'b.secret-queue',
      workspaceId: workspaceB,
      payload: { secret: 'b-payload' },
      maxAttempts: 1,
    })
    await t.ctx.db
      .updateTable('jobs')
      .set({ state: 'dead', last_error: 'b failure' })
      .where('id', '=', jobId ?? 0)
      .execute()
    fixturesB.jobs = String(jobId)
    const source = (await bob.post('/api/v1/sources', { name: 'B shop', kind: 'shop' })).json()
    fixturesB.sources = source.id
    const track = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}` },
        payload,
      })
    const ingested = await track({
      batch: [
        { type: 'identify', userId: 'b-customer', traits: { phone: '13900000999', name: 'B customer' } },
        { type: 'track', userId: 'b-customer' },
      ],
    })
    expect(ingested.json().accepted).toBe(1)
    const bProfile = (await bob.get('/api/v1/profiles/by-identifier/user_id/b-customer')).json()
    fixturesB.profiles = bProfile.id
    fixturesB['by-identifier'] = 'user_id/b-customer'
    fixturesB.quarantine = (await bob.get('/api/v1/quarantine')).json().items[0].id
    fixturesB.types = 'b_loyalty_card'
    const bImport = await bob.request({
      method: 'POST',
      url: '/api/v1/imports?format=csv&fileName=b-members.csv',
      headers: { 'content-type': 'text/csv' },
      payload: 'member,phone\nb-member-1,13900000888\n',
    })
    fixturesB.imports = bImport.json().id
    const bSegment = await bob.post('/api/v1/segments', {
      name: 'B secret segment',
      kind: 'dynamic',
      definition: { kind: 'identifier', identifierType: 'phone', has: true },
    })
    expect(bSegment.statusCode).toBe(201)
    fixturesB.segments = bSegment.json().id
    secretsOfB.push('B secret segment')
    const bTag = await bob.post('/api/v1/tags', { name: 'B secret tag', kind: 'manual' })
    expect(bTag.statusCode).toBe(201)
    fixturesB.tags = bTag.json().id
    expect((await bob.post(`/api/v1/tags/${fixturesB.tags}/profiles`, { action: 'add', profileIds: [bProfile.id] })).json().changed).toBe(1)
    const bGroup = await bob.post('/api/v1/tag-groups', { name: 'B secret group' })
    expect(bGroup.statusCode).toBe(201)
    fixturesB['tag-groups'] = bGroup.json().id
    secretsOfB.push('B secret tag', 'B secret group')
    const bProperty = await bob.post('/api/v1/computed-properties', {
      name: 'b_secret_spend',
      definition: {
        kind: 'aggregate',
        event: 'Order Completed',
        filters: [],
        window: { type: 'ever' },
        aggregate: 'sum',
        property: 'total',
      },
    })
    expect(bProperty.statusCode).toBe(201)
    fixturesB['computed-properties'] = bProperty.json().id
    secretsOfB.push('b_secret_spend')
    // Messaging: B's provider, published template, a message sent to B's customer, a broadcast, B's subscription groups.
    const bProvider = await bob.post('/api/v1/messaging/providers', {
      kind: 'webhook',
      name: 'B secret hook',
      config: { baseUrl: 'http://127.0.0.1:9/b-secret-hook', signingSecret: 'b-secret-signing-key' },
    })
    expect(bProvider.statusCode, bProvider.body).toBe(201)
    fixturesB.providers = bProvider.json().id
    const bTemplate = await bob.post('/api/v1/messaging/templates', {
      name: 'B secret template',
      category: 'marketing',
      draft: { channel: 'webhook', body: '{"b": "secret"}' },
    })
    expect(bTemplate.statusCode, bTemplate.body).toBe(201)
    fixturesB.templates = bTemplate.json().id
    expect((await bob.post(`/api/v1/messaging/templates/${fixturesB.templates}/publish`, {})).statusCode).toBe(200)
    const bSent = await bob.post('/api/v1/messaging/send', {
      templateId: fixturesB.templates,
      profileId: bProfile.id,
      idempotencyKey: 'b-secret-send',
    })
    expect(bSent.statusCode, bSent.body).toBe(201)
    fixturesB.messages = bSent.json().messageId
    const bBroadcast = await bob.post('/api/v1/broadcasts', {
      name: 'B secret broadcast',
      templateId: fixturesB.templates,
      segmentId: fixturesB.segments,
      schedule: { kind: 'once', at: '2036-01-01T02:00:00.000Z' },
    })
    expect(bBroadcast.statusCode, bBroadcast.body).toBe(201)
    fixturesB.broadcasts = bBroadcast.json().id
    const bGroups = (await bob.get('/api/v1/messaging/subscription-groups')).json().items as Array<{ id: string }>
    fixturesB['subscription-groups'] = bGroups[0]?.id ?? ''
    // `/profiles/:id/consents/:groupId`: the group is the consent's id.
    fixturesB.consents = fixturesB['subscription-groups']
    secretsOfB.push('B secret hook', 'b-secret-hook', 'b-secret-signing-key', 'B secret template', 'B secret broadcast', 'b-secret-send')
    secretsOfB.push('b-members.csv', 'b-member-1')
    expect(
      (await bob.request({ method: 'PUT', url: '/api/v1/identity/types/b_loyalty_card', payload: { priority: 70, maxPerProfile: 1 } }))
        .statusCode,
    ).toBe(200)
    secretsOfB.push(source.writeKey, 'b-customer', 'B customer', '13900000999', bProfile.id)
    secretsOfB.push(
      workspaceB,
      'Workspace B secret',
      'carol@b.example',
      'Carol B',
      fixturesB.users ?? '',
      fixturesB.tokens ?? '',
      'B import script',
      'b.secret-queue',
      'b-payload',
    )

    const aTokenResponse = await a.post('/api/v1/tokens', { name: 'A script' })
    aToken = new TestCaller(t.app, { token: aTokenResponse.json().secret })
  })
  afterAll(() => t.close())

  /**
   * Routes whose parameter is a name in the caller's own workspace (upsert by name): A using B's
   * name changes A's own settings. For these the walk proves B is unchanged instead of expecting 404.
   */
  const OWN_NAMESPACE = new Set(['PUT /api/v1/identity/types/:type'])

  /** The routes each walk below checks. */
  const WALKS = {
    /** A names workspace B in the header. */
    otherWorkspace: (c: RouteContract) => c.access.kind === 'workspace',
    /** A, in its own workspace, names one of B's objects in the path. */
    otherObjects: (c: RouteContract) => c.access.kind === 'workspace' && c.path.includes(':') && !OWN_NAMESPACE.has(routeName(c)),
    /** A calls a route that names no object. */
    noObject: (c: RouteContract) => !c.path.includes(':') && c.access.kind !== 'public',
  }
  /** The routes no walk checks, and why none needs to. */
  const EXEMPTIONS: Exemptions = {
    'GET /api/v1/setup': 'public: whether first-run setup is needed is one answer for everyone and holds no data',
    'POST /api/v1/setup': 'public: refused once the first owner exists, so it cannot reach an existing workspace',
    'POST /api/v1/auth/login': 'public: signs in by email and password and names no workspace',
    'POST /api/v1/auth/logout': "public: ends the caller's own session (walking it would sign A out)",
  }
  /** The contracts of the admin routes a walk checks. */
  const walkOf = (walk: keyof typeof WALKS): RouteContract[] =>
    adminRoutes(t.routeTable).flatMap((r) => (r.contract && WALKS[walk](r.contract) ? [r.contract] : []))

  /** Fills the parameters after each resource name (`/users/:id`, `/by-identifier/:type/:value`) with B's fixture. */
  const urlWithFixtures = (path: string, fixtures: Record<string, string>): string =>
    path.replace(/\/([a-z-]+)((?:\/:[A-Za-z]+)+)/g, (_match, resource: string) => {
      const id = fixtures[resource]
      if (!id)
        throw new Error(`No fixture for a ${resource} id in ${path}: add one of workspace B's ${resource} to the tenant-isolation test`)
      return `/${resource}/${id}`
    })

  it('registers every admin route from a contract, so every one checks access', () => {
    expectRouteTableIsTheContract(adminRoutes(t.routeTable))
  })

  it('walks every admin route in one of the checks below, but the exemptions', () => {
    const walks = Object.values(WALKS)
    expectWalksAllBut(adminRoutes(t.routeTable), (r) => r.contract !== undefined && walks.some((walk) => walk(r.contract!)), EXEMPTIONS)
  })

  it('answers 404 WORKSPACE_NOT_FOUND when A names workspace B, on every workspace route, by cookie or token', async () => {
    const before = await snapshotB()
    for (const contract of walkOf('otherWorkspace')) {
      for (const caller of [a, aToken]) {
        const response = await caller.request({
          method: contract.method,
          url: urlWithFixtures(contract.path, fixturesB),
          headers: { 'x-workspace-id': workspaceB },
          ...(contract.body ? { payload: sampleOf(contract.body as never) as Record<string, unknown> } : {}),
        })
        expect({ route: `${contract.method} ${contract.path}`, status: response.statusCode, code: response.json().error?.code }).toEqual({
          route: `${contract.method} ${contract.path}`,
          status: 404,
          code: 'WORKSPACE_NOT_FOUND',
        })
      }
    }
    expect(await snapshotB()).toBe(before)
  })

  it('answers "not found" when A, in its own workspace, names any of B\'s objects, and changes nothing of B', async () => {
    const before = await snapshotB()
    for (const contract of walkOf('otherObjects')) {
      const response = await a.request({
        method: contract.method,
        url: urlWithFixtures(contract.path, fixturesB),
        ...(contract.body ? { payload: sampleOf(contract.body as never) as Record<string, unknown> } : {}),
      })
      expect({ route: `${contract.method} ${contract.path}`, status: response.statusCode }).toEqual({
        route: `${contract.method} ${contract.path}`,
        status: 404,
      })
      for (const secret of secretsOfB) expect(response.body).not.toContain(secret)
    }
    expect(await snapshotB()).toBe(before)
  })

  it('shows A nothing of B on any route without an object id, and B is unchanged after A calls them all', async () => {
    const before = await snapshotB()
    for (const contract of walkOf('noObject')) {
      for (const caller of [a, aToken]) {
        const response = await caller.request({
          method: contract.method,
          url: contract.path,
          ...(contract.body ? { payload: sampleOf(contract.body as never) as Record<string, unknown> } : {}),
        })
        expect(response.statusCode, `${contract.method} ${contract.path}: ${response.body}`).toBeLessThan(500)
        for (const secret of secretsOfB) expect(response.body, `${contract.method} ${contract.path} leaks ${secret}`).not.toContain(secret)
      }
    }
    expect(await snapshotB()).toBe(before)
  })

  it('treats a random or malformed workspace id like another workspace', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', "' OR 1=1 --"]) {
      const response = await a.request({ method: 'GET', url: '/api/v1/users', headers: { 'x-workspace-id': id } })
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('WORKSPACE_NOT_FOUND')
    }
  })
})
