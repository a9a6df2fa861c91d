import { fail, ok, parseMessage, type DebuggerEvent, type QuarantinedEvent, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import { ingest } from './ingest-service.js'
import type { AppContext } from '../../platform/context.js'
import { serialCursor } from '../../platform/db/page-cursor.js'

type QuarantineRow = {
  id: number
  source_id: string | null
  code: string
  reason: string
  field: string | null
  event_index: number | null
  request_id: string | null
  payload: unknown
  received_at: Date
  replayed_at: Date | null
}

const toQuarantined = (r: QuarantineRow): QuarantinedEvent => ({
  id: String(r.id),
  sourceId: r.source_id,
  code: r.code,
  reason: r.reason,
  field: r.field,
  index: r.event_index,
  requestId: r.request_id,
  payload: r.payload,
  receivedAt: r.received_at.toISOString(),
  replayedAt: r.replayed_at?.toISOString() ?? null,
})

/** Events refused at ingestion, newest first. */
export async function listQuarantine(
  ctx: AppContext,
  workspaceId: string,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: QuarantinedEvent[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50
  let q = ctx.db.selectFrom('quarantine').selectAll().where('workspace_id', '=', workspaceId)
  const after = serialCursor(query.cursor)
  if (after !== undefined) q = q.where('id', '<', after)
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  return {
    items: page.map(toQuarantined),
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  }
}

/** A source's latest events and rejections, newest first, for the console's live debugger. */
export async function sourceDebugger(
  ctx: AppContext,
  workspaceId: string,
  sourceId: string,
): Promise<Result<{ events: DebuggerEvent[]; rejections: QuarantinedEvent[] }>> {
  const source = await ctx.db
    .selectFrom('sources')
    .select('id')
    .where('id', '=', sourceId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  if (!source) return fail('SOURCE_NOT_FOUND')
  const [events, rejections] = await Promise.all([
    ctx.db
      .selectFrom('events')
      .select(['id', 'type', 'name', 'profile_id', 'user_id', 'anonymous_id', 'message_id', 'timestamp', 'received_at', 'properties'])
      .where('source_id', '=', sourceId)
      .orderBy('id', 'desc')
      .limit(50)
      .execute(),
    ctx.db.selectFrom('quarantine').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(20).execute(),
  ])
  return ok({
    events: events.map((e) => ({
      id: String(e.id),
      type: e.type,
      name: e.name,
      profileId: e.profile_id,
      userId: e.user_id,
      anonymousId: e.anonymous_id,
      messageId: e.message_id,
      timestamp: e.timestamp.toISOString(),
      receivedAt: e.received_at.toISOString(),
      properties: e.properties as Record<string, unknown>,
    })),
    rejections: rejections.map(toQuarantined),
  })
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
  const row = await ctx.db
    .selectFrom('quarantine')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst()
  if (!row || row.replayed_at || !row.source_id) return fail('QUARANTINED_EVENT_NOT_FOUND')
  const payload = corrected ?? row.payload
  const check = parseMessage(payload, ctx.clock.now())
  if (!check.ok) return fail(check.problem.code, check.problem.reason)
  const outcome = await ingest(ctx, { id: row.source_id, workspaceId: scope.workspaceId }, [payload])
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('quarantine').set({ replayed_at: now }).where('id', '=', id).execute()
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
