import { isTrackingPlan, type TrackingPlan } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { moduleState } from '../../platform/modules/module-state.js'
import { TtlCache } from '../../platform/ttl-cache.js'
import { storedPlans } from './catalogue-stats-repository.js'

/** Workspace → its tracking plans by event name, kept a few seconds: every tracking request checks them. */
const PLANS = Symbol('catalogue.plans')
const plans = (ctx: AppContext) => moduleState(ctx, PLANS, () => new TtlCache<string, ReadonlyMap<string, TrackingPlan>>(5_000, ctx.clock))

/** The workspace's tracking plans (a change made in this process is seen at once, in others within seconds). */
export async function plansOf(ctx: AppContext, workspaceId: string): Promise<ReadonlyMap<string, TrackingPlan>> {
  return plans(ctx).get(workspaceId, async () => {
    const rows = await storedPlans(ctx.db, workspaceId)
    // A stored plan that no longer fits the schema (an older shape) is left out rather than enforced wrongly.
    return new Map(rows.flatMap((r) => (isTrackingPlan(r.plan) ? [[r.name, r.plan] as const] : [])))
  })
}

/** Forgets a workspace's plans in this process after an operator changed one. */
export function forgetPlans(ctx: AppContext, workspaceId: string): void {
  plans(ctx).clear((key) => key === workspaceId)
}
