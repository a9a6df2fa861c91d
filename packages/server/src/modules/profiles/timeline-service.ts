import { fail, ok, roleCan, type Result, type TimelineEvent } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { instantCursor } from '../../platform/db/page-cursor.js'
import { timelineEvents } from '../../platform/event-log/event-reads.js'
import { survivorOf, withMergedIds } from '../identity/index.js'
import { maskTraits } from './pii-mask.js'

/** Which page of a timeline: by type, name and time (`from` ≤ timestamp < `to`), after a cursor. */
export interface TimelineFilter {
  type?: string | undefined
  name?: string | undefined
  from?: string | undefined
  to?: string | undefined
  cursor?: string | undefined
  limit?: number | undefined
}

/** A profile's events (its own and those of profiles merged into it), newest first. */
export async function getTimeline(
  ctx: AppContext,
  scope: WorkspaceScope,
  profileId: string,
  query: TimelineFilter,
): Promise<Result<{ items: TimelineEvent[]; nextCursor: string | null }>> {
  const survivor = await survivorOf(ctx.db, scope.workspaceId, profileId)
  if (!survivor) return fail('PROFILE_NOT_FOUND')
  const limit = query.limit ?? 50
  const after = instantCursor(query.cursor, 'serial')
  const rows = await timelineEvents(ctx.db, {
    workspaceId: scope.workspaceId,
    profileIds: await withMergedIds(ctx.db, scope.workspaceId, [survivor]),
    type: query.type,
    name: query.name,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    before: after ? { timestamp: after.at, id: Number(after.id) } : undefined,
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const pii = roleCan(scope.role, 'pii.read')
  const last = page[page.length - 1]
  return ok({
    items: page.map((e) => ({
      id: String(e.id),
      type: e.type,
      name: e.name,
      timestamp: e.timestamp.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      sourceId: e.sourceId,
      messageId: e.messageId,
      properties: e.properties,
      traits: pii ? e.traits : maskTraits(e.traits),
    })),
    nextCursor: rows.length > limit && last ? `${last.timestamp.toISOString()}|${last.id}` : null,
  })
}
