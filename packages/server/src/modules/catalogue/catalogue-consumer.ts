import { isTrackingPlan, type TrackingPlan } from '@reachloop/domain'
import type { LogConsumer } from '../../platform/event-log/event-log.js'
import { aggregateBatch } from './catalogue-stats.js'
import { storedPlans, writeWorkspaceStats } from './catalogue-stats-repository.js'

/**
 * The catalogue's reader of the log (DESIGN §4): each batch is aggregated in memory — per workspace,
 * event name and property path — and written with one upsert per key, in the transaction that moves
 * the consumer's position (a replayed batch after a crash is never counted twice: the position and
 * the counts commit together). Ingestion does no work for the statistics.
 */
export function catalogueConsumer(): LogConsumer {
  return {
    name: 'catalogue',
    batchSize: 5_000,
    // Statistics may lag: a second when quiet; during a burst of ingestion they take a tenth of the
    // time, up to a minute behind, and catch up after it.
    pauseMs: 1000,
    background: { share: 0.1, maxLagMs: 60_000 },
    handle: async (tx, events) => {
      const workspaces = [...new Set(events.map((e) => e.workspaceId))]
      const plans = new Map<string, Map<string, TrackingPlan>>()
      for (const workspaceId of workspaces) {
        const rows = await storedPlans(tx, workspaceId)
        plans.set(workspaceId, new Map(rows.flatMap((r) => (isTrackingPlan(r.plan) ? [[r.name, r.plan] as const] : []))))
      }
      const batch = aggregateBatch(events, (workspaceId) => plans.get(workspaceId) ?? new Map())
      for (const [workspaceId, stats] of batch) await writeWorkspaceStats(tx, workspaceId, stats)
    },
  }
}
