import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { append, type NewEvent } from '../../platform/event-log/append.js'
import type { MessageRecord } from './messages-repository.js'

export function messageEventProperties(
  m: Pick<MessageRecord, 'id' | 'channel' | 'templateId' | 'runId' | 'category' | 'variables'>,
): Record<string, unknown> {
  return {
    message_id: m.id,
    channel: m.channel,
    template_id: m.templateId,
    category: m.category,
    ...(m.runId ? { run_id: m.runId } : {}),
    ...((m.variables as { origin?: Record<string, string> }).origin ?? {}),
  }
}

/** Message events on the profiles' timelines (test sends and profile-less messages have none). */
export async function appendEvents(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  items: ReadonlyArray<{ message: MessageRecord | undefined; name: string; extra: Record<string, unknown>; at?: Date }>,
): Promise<void> {
  const now = ctx.clock.now()
  const events: NewEvent[] = []
  for (const { message, name, extra, at } of items) {
    if (!message?.profileId || message.test) continue
    events.push({
      profileId: message.profileId,
      // One event per message and kind; opens and clicks pass their own time, so each counts once.
      messageId: `message:${message.id}:${name}${at ? `:${at.getTime()}` : ''}`,
      name,
      properties: { ...messageEventProperties(message), ...extra },
      timestamp: at ?? now,
    })
  }
  await append(tx, { workspaceId, receivedAt: now }, events)
}

/**
 * Channel fallback: a message that could not go (no address on its channel, or a permanent
 * failure) is followed by its template's fallback — WeChat first, then SMS.
 */
