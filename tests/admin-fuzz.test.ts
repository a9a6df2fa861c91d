import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, propertySeed, replayHint, setupOwner, TestCaller, type TestApp } from '@reachloop/server/testing'
import { fuzzRequest, type FuzzRequest } from './support/fuzz-input.js'
import { adminRoutes as registeredAdminRoutes, contractRouteNames, expectRouteTableIsTheContract } from './support/route-table.js'

/**
 * Sends every admin route malformed input built from its own schemas — wrong types, NUL and lone
 * surrogates in every string, huge strings, deep nesting, dates PostgreSQL cannot store, polluted
 * keys, out-of-range numbers and ids — and proves none is answered with a 5xx, slowly, or without
 * `Cache-Control: no-store`. New routes are walked automatically; a new path parameter needs a
 * fixture below, and the test says so. No route is left out: those that sign the caller out,
 * demote, disable or remove them (their own id is a `users` fixture) are walked too, and the caller
 * is made whole after each change; routes that delete are walked last.
 *
 * Each run draws a fresh seed and prints it; `PROPERTY_SEED=<seed>` replays one, `PROPERTY_RUNS=<n>`
 * sets the inputs per route (default 100).
 */
const { seed, numRuns: RUNS } = propertySeed('admin fuzz', 100)
/** An answer slower than this is a failure too: a small input that costs seconds is a denial of service. */
const SLOW_MS = 4000
const DEADLINE_MS = 20_000

/** A route's own seed, from the run's and the route's name, so adding a route changes no other's inputs. */
const seedOf = (key: string) => [...key].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, seed)

/** Requests come from many addresses, so the sign-in rate limit (per address) does not end the walk early. */
let addresses = 0
const nextAddress = () => `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses++ & 255}`

const OWNER = { email: 'fuzz-owner@example.com', password: 'fuzz-owner-password', name: 'Fuzz Owner', workspace: 'Fuzz Co' }

/**
 * Realistic bodies for routes whose useful inputs random generation rarely builds (a date
 * condition needs its type, operator and operand to agree); the fuzzer breaks them like the rest.
 */
const dated = [
  { kind: 'trait', trait: 'signup', type: 'date', op: 'before', value: '2024-01-01T00:00:00Z' },
  { kind: 'trait', trait: 'signup', type: 'date', op: 'between', min: '2024-01-01T00:00:00Z', max: '2024-02-01T00:00:00Z' },
  {
    kind: 'event_time',
    event: 'Order Completed',
    filters: [{ property: 'paid_at', type: 'date', op: 'after', value: '2024-01-01T00:00:00Z' }],
    which: 'last',
    op: 'before',
    at: '2024-06-01T00:00:00Z',
  },
  {
    kind: 'event',
    event: 'Order Completed',
    filters: [],
    window: { type: 'between', from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' },
    aggregate: 'sum',
    property: 'total',
    comparison: 'gte',
    value: 100,
  },
]
const definitions = [...dated, { kind: 'and', children: dated }, { kind: 'not', child: { kind: 'or', children: dated } }]
const EXAMPLES: Record<string, unknown[]> = {
  'POST /api/v1/segments/preview': definitions.map((definition) => ({ definition })),
  'POST /api/v1/segments': definitions.map((definition) => ({ name: 'Example', kind: 'dynamic', definition })),
  'PATCH /api/v1/segments/:id': definitions.map((definition) => ({ definition })),
  'POST /api/v1/tags': definitions.map((definition) => ({ name: 'Example', kind: 'rule', definition })),
}

/** Shows NUL, surrogates and other invisible characters of an input in a failure report. */
const visible = (text: string | undefined, max: number) =>
  text === undefined ? '(none)' : JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text)

describe('admin API under malformed input', () => {
  let t: TestApp
  let owner: TestCaller
  let ownerId: string
  let workspaceId: string
  const fixtures: Record<string, string[]> = {}
  const ids: string[] = []

  const signInAgain = async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: OWNER.email, password: OWNER.password },
      remoteAddress: nextAddress(),
    })
    const cookie = response.cookies.find((c) => c.name === 'rl_session')
    if (!cookie) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
    owner = new TestCaller(t.app, { cookie: `rl_session=${cookie.value}` }, workspaceId)
  }

  /**
   * The walk signs out, demotes, disables and removes members — the caller too, when it names the
   * caller's own id. Afterwards the caller is made whole again (signed in, an enabled owner), so
   * every route is walked by an owner and reaches its handler.
   */
  const keepCallerWorking = async () => {
    let me = await owner.get('/api/v1/me')
    if (me.statusCode === 401) {
      await signInAgain()
      me = await owner.get('/api/v1/me')
    }
    const { role, currentWorkspaceId } = me.json<{ role: string | null; currentWorkspaceId: string | null }>()
    if (role === 'owner' && currentWorkspaceId === workspaceId) return
    await t.ctx.db
      .insertInto('memberships')
      .values({ workspace_id: workspaceId, user_id: ownerId, role: 'owner', created_at: new Date() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role: 'owner', disabled: false }))
      .execute()
  }

  beforeAll(async () => {
    t = await createTestApp()
    owner = await setupOwner(t.app, OWNER)
    workspaceId = owner.workspaceId ?? ''
    ownerId = (await owner.get('/api/v1/me')).json().user.id
    const expectCreated = (response: LightMyRequestResponse) => {
      if (response.statusCode >= 300) throw new Error(`fixture failed: ${response.statusCode} ${response.body}`)
      return response.json()
    }
    const member = expectCreated(
      await owner.post('/api/v1/users', { email: 'member@example.com', name: 'Member', role: 'marketer', password: 'member-password' }),
    )
    fixtures.users = [member.id, ownerId]
    fixtures.tokens = [expectCreated(await owner.post('/api/v1/tokens', { name: 'fuzz script' })).token.id]
    const [jobId] = await t.ctx.jobs.enqueue({ queue: 'fuzz.queue', workspaceId, payload: { n: 1 }, maxAttempts: 1 })
    await t.ctx.db
      .updateTable('jobs')
      .set({ state: 'dead', last_error: 'fuzz failure' })
      .where('id', '=', jobId ?? 0)
      .execute()
    fixtures.jobs = [String(jobId)]
    const source = expectCreated(await owner.post('/api/v1/sources', { name: 'Fuzz shop', kind: 'shop' }))
    fixtures.sources = [source.id]
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}` },
      payload: {
        batch: [
          {
            type: 'identify',
            userId: 'fuzz-customer',
            traits: { phone: '13900000999', email: 'customer@example.com', name: 'Customer', city: 'Hangzhou' },
          },
          { type: 'track', userId: 'fuzz-customer', event: 'Order Completed', properties: { total: 8800, order_id: 'o-1' } },
          { type: 'identify', userId: 'fuzz-other', traits: { name: 'Other' } },
          { type: 'track', userId: 'fuzz-customer' },
        ],
      },
    })
    expect(batch.json().accepted).toBe(3)
    const profile = expectCreated(await owner.get('/api/v1/profiles/by-identifier/user_id/fuzz-customer'))
    const other = expectCreated(await owner.get('/api/v1/profiles/by-identifier/user_id/fuzz-other'))
    fixtures.profiles = [profile.id, other.id]
    fixtures['by-identifier'] = ['user_id/fuzz-customer', 'phone/13900000999', 'email/customer@example.com']
    fixtures.quarantine = [expectCreated(await owner.get('/api/v1/quarantine')).items[0].id]
    fixtures.types = ['fuzz_card', 'phone']
    const upload = await owner.request({
      method: 'POST',
      url: '/api/v1/imports?format=csv&fileName=members.csv',
      headers: { 'content-type': 'text/csv' },
      payload: 'member,phone\nm-1,13900000888\n',
    })
    fixtures.imports = [expectCreated(upload).id]
    const property = expectCreated(
      await owner.post('/api/v1/computed-properties', {
        name: 'fuzz_spend',
        definition: {
          kind: 'aggregate',
          event: 'Order Completed',
          filters: [],
          window: { type: 'ever' },
          aggregate: 'sum',
          property: 'total',
        },
      }),
    )
    fixtures['computed-properties'] = [property.id]
    const manual = expectCreated(await owner.post('/api/v1/tags', { name: 'Fuzz manual', kind: 'manual' }))
    const rule = expectCreated(
      await owner.post('/api/v1/tags', {
        name: 'Fuzz rule',
        kind: 'rule',
        definition: { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: 'Hangzhou' },
      }),
    )
    fixtures.tags = [manual.id, rule.id]
    const group = expectCreated(await owner.post('/api/v1/tag-groups', { name: 'Fuzz group' }))
    fixtures['tag-groups'] = [group.id]
    const dynamic = expectCreated(
      await owner.post('/api/v1/segments', {
        name: 'Fuzz dynamic',
        kind: 'dynamic',
        definition: {
          kind: 'and',
          children: [
            { kind: 'identifier', identifierType: 'phone', has: true },
            { kind: 'computed', propertyId: property.id, type: 'number', op: 'gt', value: 0 },
          ],
        },
      }),
    )
    const fixed = expectCreated(await owner.post('/api/v1/segments', { name: 'Fuzz static', kind: 'static' }))
    expectCreated(
      await owner.post(`/api/v1/segments/${fixed.id}/members`, { mode: 'append', identifierType: 'user_id', values: ['fuzz-customer'] }),
    )
    fixtures.segments = [dynamic.id, fixed.id]
    // Messaging: a provider (its test call is refused at once by a closed local port), a published
    // template, a message sent with it, a broadcast scheduled far ahead, the default subscription groups.
    const provider = expectCreated(
      await owner.post('/api/v1/messaging/providers', {
        kind: 'webhook',
        name: 'Fuzz hook',
        config: { baseUrl: 'http://127.0.0.1:9/hook', signingSecret: 'fuzz-signing-secret' },
      }),
    )
    fixtures.providers = [provider.id]
    const template = expectCreated(
      await owner.post('/api/v1/messaging/templates', {
        name: 'Fuzz template',
        category: 'marketing',
        draft: { channel: 'webhook', body: '{"hello": "{{ profile.name }}"}' },
      }),
    )
    expectCreated(await owner.post(`/api/v1/messaging/templates/${template.id}/publish`, {}))
    fixtures.templates = [template.id]
    const sent = expectCreated(
      await owner.post('/api/v1/messaging/send', { templateId: template.id, profileId: profile.id, idempotencyKey: 'fuzz-send' }),
    )
    fixtures.messages = [sent.messageId]
    const broadcast = expectCreated(
      await owner.post('/api/v1/broadcasts', {
        name: 'Fuzz broadcast',
        templateId: template.id,
        segmentId: fixed.id,
        schedule: { kind: 'once', at: '2036-01-01T02:00:00.000Z' },
      }),
    )
    fixtures.broadcasts = [broadcast.id]
    const groups: Array<{ id: string }> = expectCreated(await owner.get('/api/v1/messaging/subscription-groups')).items
    fixtures['subscription-groups'] = groups.map((g) => g.id)
    // `/profiles/:id/consents/:groupId`: the group is the consent's id.
    fixtures.consents = fixtures['subscription-groups']
    ids.push(provider.id, template.id, sent.messageId, broadcast.id, ...groups.map((g) => g.id))
    ids.push(...[member.id, ownerId, source.id, profile.id, other.id, property.id, manual.id, rule.id, dynamic.id, fixed.id, workspaceId])
    ids.push(group.id)
  })
  afterAll(() => t.close())

  /** Admin routes, with those that delete walked last so the others still find their fixtures. */
  const adminRoutes = () =>
    registeredAdminRoutes(t.routeTable).sort((a, b) => Number(a.contract?.method === 'DELETE') - Number(b.contract?.method === 'DELETE'))

  const send = async (request: FuzzRequest, report: string) => {
    // A request that is never answered (a crash inside Fastify's hooks) must fail with its input, not time the test out.
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms to ${report}`)), DEADLINE_MS)),
    )
    const response = await Promise.race([owner.request({ ...request, remoteAddress: nextAddress() }), deadline]).finally(() =>
      clearTimeout(timer),
    )
    if (request.method !== 'GET' && response.statusCode < 300) await keepCallerWorking()
    return response
  }

  it('walks every admin route, each registered from a contract', () => {
    expectRouteTableIsTheContract(adminRoutes())
  })

  it('never answers 5xx, and never lets a browser or proxy keep the answer', async () => {
    const failures: string[] = []
    /** Answers per route by status, printed as each route is walked with FUZZ_STATS=1, to see how deep the inputs reach. */
    const statuses = new Map<string, Record<number | 'slowestMs', number>>()
    const started = performance.now()
    const walked: string[] = []
    for (const { contract } of adminRoutes()) {
      if (!contract) continue
      const name = `${contract.method} ${contract.path}`
      walked.push(name)
      const property = fc.asyncProperty(fc.gen(), async (g) => {
        const request = fuzzRequest(g, contract, fixtures, ids, EXAMPLES[name])
        const input = `${name}\n  request: ${request.method} ${visible(request.url, 300)}\n  body: ${visible(request.payload, 600)}`
        const sent = performance.now()
        const response = await send(request, input)
        const took = performance.now() - sent
        const seen = statuses.get(name) ?? { slowestMs: 0 }
        seen[response.statusCode] = (seen[response.statusCode] ?? 0) + 1
        seen.slowestMs = Math.max(seen.slowestMs ?? 0, Math.round(took))
        statuses.set(name, seen)
        const report = `${input}\n  → ${response.statusCode} ${visible(response.body, 600)}`
        if (response.statusCode >= 500) throw new Error(report)
        if (took > SLOW_MS) throw new Error(`took ${Math.round(took)} ms (over ${SLOW_MS}) on ${report}`)
        if (response.headers['cache-control'] !== 'no-store') throw new Error(`no Cache-Control: no-store on ${report}`)
      })
      // No shrinking: an input breaks one thing at a time already, and the walk stays within its time.
      const result = await fc.check(property, { seed: seedOf(name), numRuns: RUNS, endOnFailure: true })
      // fast-check's report names the route's own seed; the run's seed is the one that replays the walk.
      if (result.failed) {
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
        failures.push(`${error}\n  (${replayHint(seed)})`)
      }
      if (process.env.FUZZ_STATS) console.log(name.padEnd(60), JSON.stringify(statuses.get(name)))
      await keepCallerWorking()
    }
    console.log(`admin fuzz walked ${walked.length} routes in ${Math.round((performance.now() - started) / 1000)} s`)
    expect(failures, failures.join('\n\n')).toEqual([])
    // No exemptions: the walk reached every route of the contract.
    expect(walked.sort()).toEqual(contractRouteNames())
  }, 170_000)
})
