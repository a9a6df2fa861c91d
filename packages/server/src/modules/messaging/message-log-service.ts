import { fail, ok, type DeliveryStats, type MessageDetail, type MessageSummary, type Result } from '@reachloop/domain'
import { sql } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import { workspaceZone } from '../audiences/index.js'
import { messagingDb } from './messaging-schema.js'

type LogRow = {
  id: string
  profile_id: string | null
  channel: string
  category: string
  template_id: string | null
  template_name: string | null
  broadcast_id: string | null
  address: string | null
  status: string
  reason: string | null
  test: boolean
  queued_at: Date
  updated_at: Date
}

const toSummary = (r: LogRow): MessageSummary => ({
  id: r.id,
  profileId: r.profile_id,
  channel: r.channel as MessageSummary['channel'],
  category: r.category as MessageSummary['category'],
  templateId: r.template_id,
  templateName: r.template_name,
  broadcastId: r.broadcast_id,
  address: r.address,
  status: r.status as MessageSummary['status'],
  reason: r.reason,
  test: r.test,
  queuedAt: r.queued_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

/** The cursor of the log: the last row's queue time and id. */
const encodeCursor = (r: LogRow) => Buffer.from(JSON.stringify([r.queued_at.toISOString(), r.id])).toString('base64url')
function decodeCursor(cursor: string | undefined): [Date, string] | null {
  if (!cursor) return null
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string]
    return typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)) ? [new Date(at), id] : null
  } catch {
    return null
  }
}

export interface MessageFilter {
  status?: string | undefined
  channel?: string | undefined
  templateId?: string | undefined
  broadcastId?: string | undefined
  profileId?: string | undefined
  cursor?: string | undefined
  limit?: number | undefined
}

/** The message log, newest first, one page at a time. */
export async function listMessages(
  ctx: AppContext,
  workspaceId: string,
  filter: MessageFilter,
): Promise<Result<{ items: MessageSummary[]; nextCursor: string | null }>> {
  const after = decodeCursor(filter.cursor)
  if (filter.cursor && !after) return fail('VALIDATION_FAILED', 'The cursor is not one this API gave.', { field: 'query.cursor' })
  const limit = filter.limit ?? 50
  let q = messagingDb(ctx.db)
    .selectFrom('messages as m')
    .leftJoin('message_templates as t', 't.id', 'm.template_id')
    .leftJoin('broadcast_runs as r', 'r.id', 'm.run_id')
    .select([
      'm.id',
      'm.profile_id',
      'm.channel',
      'm.category',
      'm.template_id',
      't.name as template_name',
      'r.broadcast_id',
      'm.address',
      'm.status',
      'm.reason',
      'm.test',
      'm.queued_at',
      'm.updated_at',
    ])
    .where('m.workspace_id', '=', workspaceId)
  if (filter.status) q = q.where('m.status', '=', filter.status)
  if (filter.channel) q = q.where('m.channel', '=', filter.channel)
  if (filter.templateId) q = q.where('m.template_id', '=', filter.templateId)
  if (filter.broadcastId) q = q.where('r.broadcast_id', '=', filter.broadcastId)
  if (filter.profileId) q = q.where('m.profile_id', '=', filter.profileId)
  if (after) q = q.where(sql<boolean>`(m.queued_at, m.id) < (${after[0]}, ${after[1]}::uuid)`)
  const rows = (await q
    .orderBy('m.queued_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit + 1)
    .execute()) as LogRow[]
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return ok({ items: page.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor(last) : null })
}

/** One message: what was sent, every status it reached with its time, every provider call. */
export async function getMessage(ctx: AppContext, workspaceId: string, id: string): Promise<Result<MessageDetail>> {
  const mdb = messagingDb(ctx.db)
  const row = await mdb
    .selectFrom('messages as m')
    .leftJoin('message_templates as t', 't.id', 'm.template_id')
    .leftJoin('broadcast_runs as r', 'r.id', 'm.run_id')
    .selectAll('m')
    .select(['t.name as template_name', 'r.broadcast_id'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.id', '=', id)
    .executeTakeFirst()
  if (!row) return fail('MESSAGE_NOT_FOUND')
  const attempts = await mdb.selectFrom('message_attempts').selectAll().where('message_id', '=', id).orderBy('id').execute()
  const times: Array<[string, Date | null]> = [
    ['queued', row.queued_at],
    ['sending', row.sending_at],
    ['sent', row.sent_at],
    ['delivered', row.delivered_at],
    ['opened', row.opened_at],
    ['clicked', row.clicked_at],
    [row.status === 'bounced' ? 'bounced' : 'failed', row.failed_at],
    ['suppressed', row.suppressed_at],
  ]
  return ok({
    ...toSummary(row as unknown as LogRow),
    idempotencyKey: row.idempotency_key,
    providerAccountId: row.provider_account_id,
    providerMessageId: row.provider_message_id,
    providerResponse: row.provider_response ?? null,
    content: row.content ?? null,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      outcome: a.outcome,
      code: a.code,
      detail: a.detail,
      response: a.response ?? null,
    })),
    timeline: times
      .filter((t): t is [string, Date] => t[1] !== null)
      .sort((a, b) => a[1].getTime() - b[1].getTime())
      .map(([status, at]) => ({ status, at: at.toISOString() })),
  })
}

/** Messages per day (in the workspace's time zone) and channel, by how far they got. */
export async function deliveryStats(ctx: AppContext, workspaceId: string, days: number): Promise<DeliveryStats> {
  const zone = await workspaceZone(ctx.db, workspaceId)
  const since = new Date(ctx.clock.now().getTime() - days * 86_400_000)
  const { rows } = await sql<{
    day: string
    channel: string
    queued: number
    sent: number
    delivered: number
    failed: number
    suppressed: number
    opened: number
    clicked: number
  }>`
    SELECT to_char(queued_at AT TIME ZONE ${zone}, 'YYYY-MM-DD') AS day, channel,
      count(*)::int AS queued,
      count(*) FILTER (WHERE status IN ('sent', 'delivered', 'bounced'))::int AS sent,
      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
      count(*) FILTER (WHERE status IN ('failed', 'bounced'))::int AS failed,
      count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
      count(opened_at)::int AS opened,
      count(clicked_at)::int AS clicked
    FROM messages WHERE workspace_id = ${workspaceId} AND queued_at >= ${since} AND NOT test
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(ctx.db)
  return { days: rows.map((r) => ({ ...r, channel: r.channel as DeliveryStats['days'][number]['channel'] })) }
}
