import type { RouteContract } from '@reachloop/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, sampleOf, setupOwner, type TestApp, type TestCaller } from '@reachloop/server/testing'
import { adminRoutes, expectRouteTableIsTheContract, expectWalksAllBut, type Exemptions } from './support/route-table.js'

/**
 * Every change made through the admin API is recorded. This walks every route that changes
 * something, makes it succeed on a fresh object, and finds the audit entry carrying that request's
 * id. A new route needs a way to make a fresh object below (the test says which), nothing else.
 * Every route but a GET is walked, unless it is exempted below with its reason.
 */
describe('audit coverage over the whole route table', () => {
  let t: TestApp
  let owner: TestCaller
  let serial = 0

  /** Makes a fresh object of the workspace for a route's path parameter, by resource name. */
  const freshObject: Record<string, () => Promise<string>> = {
    users: async () =>
      (
        await owner.post('/api/v1/users', {
          email: `fresh-${++serial}@example.com`,
          name: 'Fresh',
          role: 'analyst',
          password: 'password-123',
        })
      ).json().id,
    tokens: async () => (await owner.post('/api/v1/tokens', { name: `fresh-${++serial}` })).json().token.id,
    sources: async () => (await owner.post('/api/v1/sources', { name: `fresh-${++serial}`, kind: 'web' })).json().id,
    profiles: async () => {
      const source = (await owner.post('/api/v1/sources', { name: `fresh-${++serial}`, kind: 'server' })).json()
      const anonymousId = `fresh-visitor-${serial}`
      await t.app.inject({
        method: 'POST',
        url: '/v1/identify',
        headers: { authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}` },
        payload: { anonymousId },
      })
      return (await owner.get(`/api/v1/profiles/by-identifier/anonymous_id/${anonymousId}`)).json().id
    },
    types: async () => `fresh_type_${++serial}`,
    imports: async () => (await uploadCsv()).json().id,
    quarantine: async () => {
      const source = (await owner.post('/api/v1/sources', { name: `fresh-${++serial}`, kind: 'server' })).json()
      const [row] = await t.ctx.db
        .insertInto('quarantine')
        .values({
          workspace_id: owner.workspaceId ?? '',
          source_id: source.id,
          code: 'INVALID_EVENT',
          reason: 'test',
          payload: JSON.stringify({ type: 'track', userId: `q-${serial}`, event: 'Fixed' }),
          received_at: new Date(),
          replayed_at: null,
        })
        .returning('id')
        .execute()
      return String(row?.id)
    },
    segments: async () => (await owner.post('/api/v1/segments', { name: `fresh-${++serial}`, kind: 'static' })).json().id,
    tags: async () => (await owner.post('/api/v1/tags', { name: `fresh-${++serial}`, kind: 'manual' })).json().id,
    'tag-groups': async () => (await owner.post('/api/v1/tag-groups', { name: `fresh-${++serial}` })).json().id,
    'computed-properties': async () =>
      (await owner.post('/api/v1/computed-properties', { name: `fresh_${++serial}`, definition: freshProperty() })).json().id,
    providers: async () => (await owner.post('/api/v1/messaging/providers', freshProvider())).json().id,
    templates: async () => (await owner.post('/api/v1/messaging/templates', freshTemplate())).json().id,
    'subscription-groups': async () => (await owner.post('/api/v1/messaging/subscription-groups', freshGroup())).json().id,
    // `/profiles/:id/consents/:groupId`: the group is the consent's id.
    consents: async () => (await owner.post('/api/v1/messaging/subscription-groups', freshGroup())).json().id,
    broadcasts: async () => (await owner.post('/api/v1/broadcasts', { ...(await freshBroadcast()), draft: true })).json().id,
    jobs: async () => {
      const [id] = await t.ctx.jobs.enqueue({ queue: 'test.audit', workspaceId: owner.workspaceId ?? null, maxAttempts: 1 })
      await t.ctx.db
        .updateTable('jobs')
        .set({ state: 'dead' })
        .where('id', '=', id ?? 0)
        .execute()
      return String(id)
    },
  }
  const freshProvider = () => ({
    kind: 'webhook',
    name: `fresh-${++serial}`,
    config: { baseUrl: 'http://127.0.0.1:9/hook', signingSecret: 'fresh-signing-secret' },
  })
  const freshTemplate = () => ({ name: `fresh-${++serial}`, category: 'marketing', draft: { channel: 'webhook', body: '{"hi": true}' } })
  const freshGroup = () => ({ key: `fresh_${++serial}`, name: `fresh-${serial}`, channel: 'email', policy: 'opt_out' })
  /** A broadcast's body: a published template and a segment, scheduled far ahead. */
  const freshBroadcast = async () => {
    const templateId = (await owner.post('/api/v1/messaging/templates', freshTemplate())).json().id
    await owner.post(`/api/v1/messaging/templates/${templateId}/publish`, {})
    return {
      name: `fresh-${++serial}`,
      templateId,
      segmentId: await freshObject.segments!(),
      schedule: { kind: 'once', at: '2036-01-01T02:00:00.000Z' },
    }
  }
  /** A broadcast in the state a change starts from: scheduled, or paused. */
  const broadcastIn = async (state: 'scheduled' | 'paused') => {
    const id = (await owner.post('/api/v1/broadcasts', await freshBroadcast())).json().id
    if (state === 'paused') await owner.post(`/api/v1/broadcasts/${id}/pause`, {})
    return id as string
  }
  const freshProperty = () => ({ kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'count' })
  const uploadCsv = () =>
    owner.request({
      method: 'POST',
      url: `/api/v1/imports?format=csv&fileName=fresh-${++serial}.csv`,
      headers: { 'content-type': 'text/csv' },
      payload: 'member,city\nm1,Chongqing\n',
    })
  /** Routes whose request is not JSON: how to call them. */
  const customRequests: Record<string, () => ReturnType<typeof uploadCsv>> = {
    'POST /api/v1/imports': uploadCsv,
    'POST /api/v1/broadcasts/:id/pause': async () => owner.post(`/api/v1/broadcasts/${await broadcastIn('scheduled')}/pause`, {}),
    'POST /api/v1/broadcasts/:id/resume': async () => owner.post(`/api/v1/broadcasts/${await broadcastIn('paused')}/resume`, {}),
    'POST /api/v1/messaging/blocklist/remove': async () => {
      const blocked = { channel: 'sms', address: `+86139${String(++serial).padStart(8, '0')}` }
      await owner.post('/api/v1/messaging/blocklist', blocked)
      return owner.post('/api/v1/messaging/blocklist/remove', blocked)
    },
    'POST /api/v1/segments/:id/compute': async () => {
      const dynamic = (
        await owner.post('/api/v1/segments', {
          name: `fresh-${++serial}`,
          kind: 'dynamic',
          definition: { kind: 'identifier', identifierType: 'phone', has: true },
        })
      ).json()
      return owner.post(`/api/v1/segments/${dynamic.id}/compute`)
    },
  }
  /** The routes that are not GET and yet are not walked, and why. */
  const EXEMPTIONS: Exemptions = {
    'POST /api/v1/segments/preview': 'takes a body but changes nothing: it counts a definition without saving it',
    'POST /api/v1/setup': 'runs once, before anyone is signed in: the test app is set up already, so it cannot succeed here',
    'POST /api/v1/auth/login': "signing in changes no workspace's data",
    'POST /api/v1/auth/logout': "signing out changes no workspace's data",
    'POST /api/v1/messaging/templates/:id/preview': 'takes a body but changes nothing: it renders the template for a profile',
    'POST /api/v1/messaging/providers/:id/test':
      'changes nothing: one harmless call to the provider (a token fetch, a validation-only request), its answer returned and not kept',
    'POST /api/v1/messaging/send':
      'a send is traffic, like ingestion (POST /v1/track): it is recorded as its message in the message log and as events on the timeline',
  }
  /** The routes that may change something: every method but GET, but the exemptions. */
  const isWalked = (c: RouteContract) => c.method !== 'GET' && !(`${c.method} ${c.path}` in EXEMPTIONS)
  /** A template's optional links to other objects, left out (the schema's sample would name ids that do not exist). */
  const noLinks = { subscriptionGroupId: undefined, providerAccountId: undefined, fallbackTemplateId: undefined }
  /** Bodies the schema alone cannot make valid. */
  const bodyOverrides: Record<string, () => Promise<Record<string, unknown>>> = {
    'PATCH /api/v1/workspace': async () => ({ timeZone: 'Asia/Tokyo' }),
    // setupOwner's password; the owner's own session stays signed in after the change.
    'POST /api/v1/me/password': async () => ({ currentPassword: 'owner-password', newPassword: 'changed-password' }),
    'POST /api/v1/workspaces': async () => ({ timeZone: 'Asia/Tokyo' }),
    'POST /api/v1/profiles/:id/merge': async () => ({ intoProfileId: await freshObject.profiles!() }),
    'POST /api/v1/quarantine/:id/replay': async () => ({ payload: undefined }),
    'POST /api/v1/segments': async () => ({
      name: `fresh-${++serial}`,
      kind: 'dynamic',
      definition: { kind: 'identifier', identifierType: 'phone', has: true },
    }),
    'PATCH /api/v1/segments/:id': async () => ({ name: `renamed-${++serial}`, definition: undefined }),
    'POST /api/v1/tags': async () => ({ name: `fresh-${++serial}`, kind: 'manual', groupId: undefined, definition: undefined }),
    'POST /api/v1/tag-groups': async () => ({ name: `fresh-${++serial}` }),
    'PATCH /api/v1/tag-groups/:id': async () => ({ name: `renamed-${++serial}`, exclusive: true }),
    'PATCH /api/v1/tags/:id': async () => ({ name: `renamed-${++serial}`, groupId: undefined, definition: undefined, labels: ['x'] }),
    'POST /api/v1/segments/:id/duplicate': async () => ({ name: `copy-${++serial}` }),
    'POST /api/v1/tags/:id/profiles': async () => ({
      action: 'add',
      profileIds: undefined,
      identifierType: 'user_id',
      values: ['someone'],
    }),
    'POST /api/v1/segments/:id/members': async () => ({ mode: 'append', identifierType: 'user_id', values: ['someone'] }),
    'POST /api/v1/computed-properties': async () => ({ name: `fresh_${++serial}`, definition: freshProperty() }),
    'PATCH /api/v1/computed-properties/:id': async () => ({ description: 'changed', definition: freshProperty() }),
    'POST /api/v1/messaging/providers': async () => freshProvider(),
    'PATCH /api/v1/messaging/providers/:id': async () => ({ name: `renamed-${++serial}`, config: undefined, ratePerSecond: 10 }),
    'POST /api/v1/messaging/templates': async () => ({ ...noLinks, ...freshTemplate() }),
    'PATCH /api/v1/messaging/templates/:id': async () => ({ ...noLinks, name: `renamed-${++serial}`, draft: undefined }),
    'POST /api/v1/messaging/templates/:id/test-send': async () => ({ to: 'http://127.0.0.1:9/test', profileId: undefined }),
    'POST /api/v1/messaging/subscription-groups': async () => freshGroup(),
    'POST /api/v1/messaging/blocklist': async () => ({ channel: 'sms', address: `+86139${String(++serial).padStart(8, '0')}` }),
    'PUT /api/v1/messaging/settings': async () => ({
      quietHours: { enabled: true, start: '22:00', end: '08:00', action: 'delay' },
      caps: [],
    }),
    'POST /api/v1/broadcasts': freshBroadcast,
    'POST /api/v1/imports/:id/start': async () => ({
      kind: 'profiles',
      sourceId: (await owner.post('/api/v1/sources', { name: `fresh-${++serial}`, kind: 'server' })).json().id,
      mapping: { userId: 'member' },
    }),
  }

  beforeAll(async () => {
    t = await createTestApp()
    owner = await setupOwner(t.app)
  })
  afterAll(() => t.close())

  it('walks every admin route but GETs and the exemptions', () => {
    const all = adminRoutes(t.routeTable)
    expectRouteTableIsTheContract(all)
    expectWalksAllBut(
      all.filter((r) => r.contract?.method !== 'GET'),
      (r) => r.contract !== undefined && isWalked(r.contract),
      EXEMPTIONS,
    )
  })

  it('records every successful change with the request id that made it', async () => {
    const changing = adminRoutes(t.routeTable).flatMap((r) => (r.contract && isWalked(r.contract) ? [r.contract] : []))
    for (const contract of changing) {
      const name = `${contract.method} ${contract.path}`
      let url = contract.path
      for (const [, resource] of contract.path.matchAll(/\/([a-z-]+)\/:[A-Za-z]+/g)) {
        const make = freshObject[resource ?? '']
        if (!make) throw new Error(`${name}: add a way to make a fresh ${resource} to the audit-coverage test`)
        url = url.replace(new RegExp(`/${resource}/:[A-Za-z]+`), `/${resource}/${await make()}`)
      }
      const body = contract.body ? { ...(sampleOf(contract.body as never) as object), ...(await bodyOverrides[name]?.()) } : undefined
      const custom = customRequests[name]
      const response = custom ? await custom() : await owner.request({ method: contract.method, url, ...(body ? { payload: body } : {}) })
      expect(response.statusCode, `${name} should succeed to be checked: ${response.body}`).toBeLessThan(300)
      const entry = await t.ctx.db
        .selectFrom('audit_log')
        .select(['action'])
        .where('request_id', '=', String(response.headers['x-request-id']))
        .executeTakeFirst()
      expect(entry, `${name} changed something without an audit entry`).toBeDefined()
    }
  })
})
