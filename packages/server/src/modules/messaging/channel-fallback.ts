import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { queueMessages } from './message-queue.js'
import type { MessageRecord } from './messages-repository.js'
import { templatesByIds, type TemplateRecord } from './templates-repository.js'

export async function queueFallbacks(
  ctx: AppContext,
  tx: Executor,
  workspaceId: string,
  templates: ReadonlyMap<string, TemplateRecord>,
  ids: readonly string[],
  rows: readonly MessageRecord[],
): Promise<void> {
  const requests = []
  const fallbackIds = new Set<string>()
  for (const id of ids) {
    const m = rows.find((r) => r.id === id)
    const fallbackId = m?.templateId ? templates.get(m.templateId)?.fallbackTemplateId : null
    if (m && fallbackId) fallbackIds.add(fallbackId)
  }
  const fallbacks = await templatesByIds(tx, workspaceId, [...fallbackIds])
  for (const id of ids) {
    const m = rows.find((r) => r.id === id)
    const fallback = m?.templateId ? fallbacks.get(templates.get(m.templateId)?.fallbackTemplateId ?? '') : undefined
    if (!m || !fallback || m.test) continue
    requests.push({
      profileId: m.profileId,
      templateId: fallback.id,
      channel: fallback.channel,
      category: fallback.category,
      idempotencyKey: `${m.idempotencyKey}:fallback`,
      ...(m.variables.event ? { event: m.variables.event } : {}),
      ...(m.variables.coupon ? { coupon: m.variables.coupon } : {}),
      origin: { ...((m.variables as { origin?: Record<string, string> }).origin ?? {}), fallback_of: m.id },
      ...(m.runId ? { runId: m.runId } : {}),
    })
  }
  if (requests.length > 0) await queueMessages(ctx, tx, workspaceId, requests)
}
