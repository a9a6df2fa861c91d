import { fail, ok, parseMessage, type QuarantinedEvent, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { serialCursor } from '../../platform/db/page-cursor.js'
import { ingest } from './ingest-service.js'
import { markReplayed, quarantinedEvent, quarantinePage } from './quarantine-repository.js'

/** Events refused at ingestion, newest first. */
export async function listQuarantine(
  ctx: AppContext,
  workspaceId: string,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: QuarantinedEvent[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50
  const rows = await quarantinePage(ctx.db, workspaceId, { before: serialCursor(query.cursor), limit: limit + 1 })
  const page = rows.slice(0, limit)
  return {
    items: page,
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  }
}

/**
 * Ingests a quarantined event again for its source, as stored or as corrected by the operator.
 * When it passes it leaves the quarantine (marked replayed); when it fails again it stays, with the
 * new reason returned.
 */
export async function replayQuarantined(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: number,
  corrected: Record<string, unknown> | undefined,
): Promise<Result<{ accepted: number; duplicates: number }>> {
  const event = await quarantinedEvent(ctx.db, scope.workspaceId, id)
  if (!event || event.replayedAt || !event.sourceId) return fail('QUARANTINED_EVENT_NOT_FOUND')
  const payload = corrected ?? event.payload
  const check = parseMessage(payload, ctx.clock.now(), undefined, ctx.internalEvents)
  if (!check.ok) return fail(check.problem.code, check.problem.reason)
  const outcome = await ingest(ctx, { id: event.sourceId, workspaceId: scope.workspaceId }, [payload])
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    await markReplayed(tx, id, now)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'quarantine.replay',
      entityType: 'quarantined_event',
      entityId: String(id),
      after: { corrected: corrected !== undefined, accepted: outcome.accepted },
      requestId: scope.requestId,
      at: now,
    })
  })
  return ok({ accepted: outcome.accepted, duplicates: outcome.duplicates })
}
