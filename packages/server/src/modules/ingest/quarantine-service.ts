import type { QuarantinedEvent } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'

/** Events refused at ingestion, newest first. */
export async function listQuarantine(ctx: AppContext, workspaceId: string, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<{ items: QuarantinedEvent[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50
  let q = ctx.db.selectFrom('quarantine').selectAll().where('workspace_id', '=', workspaceId)
  if (query.cursor && /^\d+$/.test(query.cursor)) q = q.where('id', '<', Number(query.cursor))
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute()
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => ({ id: String(r.id), sourceId: r.source_id, code: r.code, reason: r.reason, payload: r.payload, receivedAt: r.received_at.toISOString(), replayedAt: r.replayed_at?.toISOString() ?? null })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  }
}
