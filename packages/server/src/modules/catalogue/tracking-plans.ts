import { planViolation, type AcceptedMessage } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { plansOf } from './plan-cache.js'

/** An event refused because it breaks its tracking plan (mode `quarantine`), as ingestion reports refusals. */
export interface PlanRefusal {
  index: number
  messageId: string | null
  code: 'TRACKING_PLAN_VIOLATION'
  reason: string
  field: string | null
}

/**
 * Ingestion's check of the tracking plans: the track events whose event has a plan in mode
 * `quarantine` and break it move from `valid` to `rejected` (with the reason and the field), to be
 * quarantined like any refused event. A lookup in a cached map per event; those in mode `accept` pass
 * and the catalogue's consumer counts them.
 */
export async function withTrackingPlans<V extends { index: number; message: AcceptedMessage }, R extends { index: number }>(
  ctx: AppContext,
  workspaceId: string,
  parsed: { valid: V[]; rejected: R[] },
): Promise<{ valid: V[]; rejected: Array<R | PlanRefusal> }> {
  if (parsed.valid.length === 0) return parsed
  const plans = await plansOf(ctx, workspaceId)
  if (plans.size === 0) return parsed
  const valid: V[] = []
  const refused: PlanRefusal[] = []
  for (const v of parsed.valid) {
    const plan = v.message.type === 'track' && v.message.name !== null ? plans.get(v.message.name) : undefined
    const violation = plan?.mode === 'quarantine' ? planViolation(plan, v.message.properties) : null
    if (violation) refused.push({ index: v.index, messageId: v.message.messageId, code: 'TRACKING_PLAN_VIOLATION', ...violation })
    else valid.push(v)
  }
  if (refused.length === 0) return parsed
  return { valid, rejected: [...parsed.rejected, ...refused].sort((a, b) => a.index - b.index) }
}
