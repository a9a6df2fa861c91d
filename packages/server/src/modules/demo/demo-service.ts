import type { Actor } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { createWorkspace } from '../../platform/workspaces/workspaces-service.js'
import { createSource, ingest } from '../ingest/index.js'
import { createDemoAudiences } from './demo-audiences.js'
import { demoEvents } from './demo-customer.js'

/** Events that happen in a store come through the POS source; the rest through the mini program. */
const STORE_EVENTS = new Set([
  'Store Visited',
  'Order Completed',
  'Service Completed',
  'Card Purchased',
  'Coupon Redeemed',
  'Lead Captured',
])
const BATCH = 500

export interface DemoOutcome {
  workspaceId: string
  customers: number
  events: number
}

/**
 * Builds the demo workspace through the real ingestion path (validation, identity resolution,
 * the event log): a workspace owned by `ownerId`, two sources, the generated chain's customers, and
 * the example audiences (created through their services once the events are in; jobs compute them).
 */
export async function runDemo(
  ctx: AppContext,
  options: {
    ownerId: string
    actor: Actor
    workspaceName: string
    customers: number
    seed?: number
    /** Whether to create the example segments, tags and computed properties (default true); jobs compute them. */
    audiences?: boolean
    onProgress?: (customers: number, events: number) => void
  },
): Promise<DemoOutcome> {
  const workspace = await ctx.db
    .transaction()
    .execute((tx) => createWorkspace(ctx, tx, { name: options.workspaceName }, { userId: options.ownerId, actor: options.actor }))
  if (!workspace.ok) throw new Error(workspace.message ?? workspace.code)
  const scope = { workspaceId: workspace.value.id, actor: options.actor, requestId: null }
  const [app, pos] = await ctx.db
    .transaction()
    .execute(async (tx) => [
      await createSource(ctx, scope, { name: '洗车小程序', kind: 'mini_program' }, tx),
      await createSource(ctx, scope, { name: '门店收银', kind: 'store_pos' }, tx),
    ])
  const batches = { app: [] as unknown[], pos: [] as unknown[] }
  let events = 0
  let customers = 0
  const flush = async (which: 'app' | 'pos') => {
    if (batches[which].length === 0) return
    const outcome = await ingest(ctx, { id: (which === 'app' ? app : pos).id, workspaceId: scope.workspaceId }, batches[which])
    if (outcome.rejected.length > 0) throw new Error(`the demo generator made an invalid event: ${outcome.rejected[0]?.reason}`)
    events += outcome.accepted
    batches[which] = []
  }
  for (const event of demoEvents({ customers: options.customers, end: ctx.clock.now(), seed: options.seed ?? 7 })) {
    if (event.type === 'identify') {
      customers += 1
      if (customers % 500 === 0) options.onProgress?.(customers, events)
    }
    const which = STORE_EVENTS.has(String(event.event)) ? 'pos' : 'app'
    batches[which].push(event)
    if (batches[which].length >= BATCH) await flush(which)
  }
  await flush('app')
  await flush('pos')
  await ctx.database.analyze()
  if (options.audiences ?? true)
    await createDemoAudiences(ctx, {
      ...scope,
      role: 'owner',
      caller: { user: { id: options.ownerId, email: options.actor.label, name: options.actor.label }, token: null },
    })
  options.onProgress?.(customers, events)
  return { workspaceId: scope.workspaceId, customers, events }
}
