import type { QuarantinedEvent } from '@reachloop/domain'
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

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

/** The one mapping of a `quarantine` row. */
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

/** An event refused at ingestion, to keep: `payload` is its JSON text, already made storable. */
export interface NewQuarantined {
  sourceId: string
  code: string
  reason: string
  field: string | null
  index: number
  requestId: string | null
  payload: string
}

export async function quarantineEvents(
  db: Executor,
  workspaceId: string,
  refused: readonly NewQuarantined[],
  receivedAt: Date,
): Promise<void> {
  if (refused.length === 0) return
  await db
    .insertInto('quarantine')
    .values(
      refused.map((r) => ({
        workspace_id: workspaceId,
        source_id: r.sourceId,
        code: r.code,
        reason: r.reason,
        field: r.field,
        event_index: r.index,
        request_id: r.requestId,
        payload: r.payload,
        received_at: receivedAt,
        replayed_at: null,
      })),
    )
    .execute()
}

/** A page of the workspace's quarantine, newest first, before the id `before`. */
export async function quarantinePage(
  db: Executor,
  workspaceId: string,
  page: { before?: number | undefined; limit: number },
): Promise<QuarantinedEvent[]> {
  let q = db.selectFrom('quarantine').selectAll().where('workspace_id', '=', workspaceId)
  if (page.before !== undefined) q = q.where('id', '<', page.before)
  return (await q.orderBy('id', 'desc').limit(page.limit).execute()).map(toQuarantined)
}

/** A source's latest rejections, newest first. */
export async function latestRejections(db: Executor, sourceId: string, limit: number): Promise<QuarantinedEvent[]> {
  const rows = await db.selectFrom('quarantine').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute()
  return rows.map(toQuarantined)
}

/** One quarantined event of the workspace. */
export async function quarantinedEvent(db: Executor, workspaceId: string, id: number): Promise<QuarantinedEvent | undefined> {
  const row = await db.selectFrom('quarantine').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst()
  return row && toQuarantined(row)
}

export async function markReplayed(db: Executor, id: number, at: Date): Promise<void> {
  await db.updateTable('quarantine').set({ replayed_at: at }).where('id', '=', id).execute()
}

/** Deletes the quarantined payloads (raw JSON) of the workspace that name any of the values. */
export async function eraseQuarantinedNaming(db: Executor, workspaceId: string, values: readonly string[]): Promise<void> {
  if (values.length === 0) return
  await sql`DELETE FROM quarantine WHERE workspace_id = ${workspaceId} AND EXISTS (SELECT 1 FROM unnest(${[...values]}::text[]) AS v(value) WHERE strpos(payload::text, v.value) > 0)`.execute(
    db,
  )
}
