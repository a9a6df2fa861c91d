import { fail, ok, type DebuggerEvent, type QuarantinedEvent, type Result } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { latestSourceEvents } from '../../platform/event-log/event-reads.js'
import { latestRejections } from './quarantine-repository.js'
import { sourceExists } from './sources-service.js'

/** A source's latest events and rejections, newest first, for the console's live debugger. */
export async function sourceDebugger(
  ctx: AppContext,
  workspaceId: string,
  sourceId: string,
): Promise<Result<{ events: DebuggerEvent[]; rejections: QuarantinedEvent[] }>> {
  if (!(await sourceExists(ctx.db, workspaceId, sourceId))) return fail('SOURCE_NOT_FOUND')
  const [events, rejections] = await Promise.all([latestSourceEvents(ctx.db, sourceId, 50), latestRejections(ctx.db, sourceId, 20)])
  return ok({
    events: events.map((e) => ({
      id: String(e.id),
      type: e.type,
      name: e.name,
      profileId: e.profileId,
      userId: e.userId,
      anonymousId: e.anonymousId,
      messageId: e.messageId,
      timestamp: e.timestamp.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      properties: e.properties,
    })),
    rejections,
  })
}
