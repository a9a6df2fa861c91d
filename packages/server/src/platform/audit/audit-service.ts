import type { AuditEntry } from '@reachloop/domain'
import type { Executor } from '../db/database.js'
import type { Actor } from '../auth/actor.js'
import { serialCursor } from '../db/page-cursor.js'

/** One change to record. Leave secrets out of `before` / `after`. */
export interface AuditChange {
  workspaceId: string
  actor: Actor
  action: string
  entityType: string
  entityId: string | null
  before?: unknown
  after?: unknown
  requestId?: string | null
  at: Date
}

/** Records a change in the same transaction as the change itself, so neither exists without the other. */
export async function recordAudit(db: Executor, change: AuditChange): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: change.workspaceId,
      actor_kind: change.actor.kind,
      actor_id: change.actor.kind === 'system' ? null : change.actor.id,
      actor_label: change.actor.label,
      action: change.action,
      entity_type: change.entityType,
      entity_id: change.entityId,
      before: change.before === undefined ? null : JSON.stringify(change.before),
      after: change.after === undefined ? null : JSON.stringify(change.after),
      request_id: change.requestId ?? null,
      at: change.at,
    })
    .execute()
}

export interface AuditFilter {
  actorId?: string | undefined
  action?: string | undefined
  entityType?: string | undefined
  entityId?: string | undefined
  from?: string | undefined
  to?: string | undefined
  cursor?: string | undefined
  limit?: number | undefined
}

/** A workspace's audit entries, newest first, filtered, one page at a time (the cursor is the last id seen). */
export async function listAudit(
  db: Executor,
  workspaceId: string,
  filter: AuditFilter,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50
  let query = db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId)
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId)
  if (filter.action) query = query.where('action', '=', filter.action)
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType)
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId)
  if (filter.from) query = query.where('at', '>=', new Date(filter.from))
  if (filter.to) query = query.where('at', '<', new Date(filter.to))
  const after = serialCursor(filter.cursor)
  if (after !== undefined) query = query.where('id', '<', after)
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actor: { kind: r.actor_kind as AuditEntry['actor']['kind'], id: r.actor_id, label: r.actor_label },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before ?? null,
      after: r.after ?? null,
      requestId: r.request_id,
    })),
    nextCursor: rows.length > limit && page.length > 0 ? String(page[page.length - 1]?.id) : null,
  }
}
