import { sql } from 'kysely'
import type { BroadcastRun, BroadcastSchedule, BroadcastState } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { messagingDb } from './messaging-schema.js'

export interface BroadcastRecord {
  id: string
  workspaceId: string
  name: string
  templateId: string
  segmentId: string
  schedule: BroadcastSchedule
  localTime: boolean
  holdoutPercent: number
  ratePerMinute: number | null
  state: BroadcastState
  nextRunAt: Date | null
  createdAt: Date
}

type Row = {
  id: string
  workspace_id: string
  name: string
  template_id: string
  segment_id: string
  schedule: unknown
  local_time: boolean
  holdout_percent: number
  rate_per_minute: number | null
  state: string
  next_run_at: Date | null
  created_at: Date
}

const toRecord = (r: Row): BroadcastRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  templateId: r.template_id,
  segmentId: r.segment_id,
  schedule: r.schedule as BroadcastSchedule,
  localTime: r.local_time,
  holdoutPercent: Number(r.holdout_percent),
  ratePerMinute: r.rate_per_minute,
  state: r.state as BroadcastState,
  nextRunAt: r.next_run_at,
  createdAt: r.created_at,
})

const COLUMNS = [
  'id',
  'workspace_id',
  'name',
  'template_id',
  'segment_id',
  'schedule',
  'local_time',
  'holdout_percent',
  'rate_per_minute',
  'state',
  'next_run_at',
  'created_at',
] as const

export async function broadcasts(db: Executor, workspaceId: string): Promise<BroadcastRecord[]> {
  return (
    await messagingDb(db)
      .selectFrom('broadcasts')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .execute()
  ).map(toRecord)
}

export async function broadcast(
  db: Executor,
  workspaceId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<BroadcastRecord | undefined> {
  const q = messagingDb(db).selectFrom('broadcasts').select(COLUMNS).where('workspace_id', '=', workspaceId).where('id', '=', id)
  const row = await (options.forUpdate ? q.forUpdate() : q).executeTakeFirst()
  return row && toRecord(row)
}

export async function insertBroadcast(db: Executor, record: BroadcastRecord, now: Date): Promise<void> {
  await messagingDb(db)
    .insertInto('broadcasts')
    .values({
      id: record.id,
      workspace_id: record.workspaceId,
      name: record.name,
      template_id: record.templateId,
      segment_id: record.segmentId,
      schedule: JSON.stringify(record.schedule),
      local_time: record.localTime,
      holdout_percent: record.holdoutPercent,
      rate_per_minute: record.ratePerMinute,
      state: record.state,
      next_run_at: record.nextRunAt,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

export async function setBroadcastState(db: Executor, id: string, state: BroadcastState, nextRunAt: Date | null, now: Date): Promise<void> {
  await messagingDb(db).updateTable('broadcasts').set({ state, next_run_at: nextRunAt, updated_at: now }).where('id', '=', id).execute()
}

/** Whether a broadcast, running or finished, uses the template: its runs' report refers to it. */
export async function templateInUse(db: Executor, templateId: string): Promise<boolean> {
  const row = await messagingDb(db).selectFrom('broadcasts').select('id').where('template_id', '=', templateId).executeTakeFirst()
  return row !== undefined
}

/** Broadcasts whose next run is due, locked so one worker starts each run. */
export async function dueBroadcasts(tx: Executor, now: Date): Promise<BroadcastRecord[]> {
  const rows = await messagingDb(tx)
    .selectFrom('broadcasts')
    .select(COLUMNS)
    .where('next_run_at', '<=', now)
    .where('state', 'in', ['scheduled', 'running'])
    .orderBy('next_run_at')
    .limit(100)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map(toRecord)
}

/** A run for a due time; none when that time already has one (two ticks racing). */
export async function insertRun(
  db: Executor,
  run: { id: string; broadcastId: string; workspaceId: string; scheduledFor: Date },
): Promise<boolean> {
  const rows = await messagingDb(db)
    .insertInto('broadcast_runs')
    .values({
      id: run.id,
      broadcast_id: run.broadcastId,
      workspace_id: run.workspaceId,
      state: 'preparing',
      scheduled_for: run.scheduledFor,
      started_at: null,
      finished_at: null,
    })
    .onConflict((oc) => oc.columns(['broadcast_id', 'scheduled_for']).doNothing())
    .returning('id')
    .execute()
  return rows.length > 0
}

export async function runRecord(db: Executor, runId: string) {
  return messagingDb(db).selectFrom('broadcast_runs').selectAll().where('id', '=', runId).executeTakeFirst()
}

export async function setRunState(
  db: Executor,
  runId: string,
  state: BroadcastRun['state'],
  now: Date,
  extra: { audienceSize?: number; holdoutSize?: number; started?: boolean; finished?: boolean } = {},
): Promise<void> {
  await messagingDb(db)
    .updateTable('broadcast_runs')
    .set({
      state,
      ...(extra.audienceSize !== undefined ? { audience_size: extra.audienceSize } : {}),
      ...(extra.holdoutSize !== undefined ? { holdout_size: extra.holdoutSize } : {}),
      ...(extra.started ? { started_at: now } : {}),
      ...(extra.finished ? { finished_at: now } : {}),
    })
    .where('id', '=', runId)
    .execute()
}

/** Runs of the broadcasts, newest first, with their messages counted by status. */
export async function runsWithProgress(
  db: Executor,
  broadcastIds: readonly string[],
  perBroadcast: number,
): Promise<Map<string, BroadcastRun[]>> {
  const out = new Map<string, BroadcastRun[]>()
  if (broadcastIds.length === 0) return out
  const { rows } = await sql<{
    id: string
    broadcast_id: string
    state: BroadcastRun['state']
    scheduled_for: Date
    started_at: Date | null
    finished_at: Date | null
    audience_size: number
    holdout_size: number
    queued: number
    sending: number
    sent: number
    delivered: number
    failed: number
    suppressed: number
    opened: number
    clicked: number
  }>`
    SELECT r.id, r.broadcast_id, r.state, r.scheduled_for, r.started_at, r.finished_at, r.audience_size, r.holdout_size, c.*
    FROM (SELECT *, row_number() OVER (PARTITION BY broadcast_id ORDER BY scheduled_for DESC) AS n FROM broadcast_runs WHERE broadcast_id = ANY(${[...broadcastIds]}::uuid[])) r
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'sending')::int AS sending,
        count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
        count(*) FILTER (WHERE status IN ('failed', 'bounced'))::int AS failed, count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
        count(opened_at)::int AS opened, count(clicked_at)::int AS clicked
      FROM messages WHERE run_id = r.id) c
    WHERE r.n <= ${perBroadcast}
    ORDER BY r.scheduled_for DESC`.execute(db)
  for (const r of rows) {
    const list = out.get(r.broadcast_id) ?? []
    const target = r.audience_size - r.holdout_size
    const done = r.sent + r.delivered + r.failed + r.suppressed
    list.push({
      id: r.id,
      state: r.state,
      scheduledFor: r.scheduled_for.toISOString(),
      startedAt: r.started_at?.toISOString() ?? null,
      finishedAt: r.finished_at?.toISOString() ?? null,
      audienceSize: r.audience_size,
      holdoutSize: r.holdout_size,
      queued: r.queued,
      sending: r.sending,
      sent: r.sent,
      delivered: r.delivered,
      failed: r.failed,
      suppressed: r.suppressed,
      opened: r.opened,
      clicked: r.clicked,
      progress:
        r.state === 'completed'
          ? 100
          : target > 0
            ? Math.min(100, Math.floor((done / target) * 1000) / 10)
            : r.state === 'preparing'
              ? 0
              : 100,
    })
    out.set(r.broadcast_id, list)
  }
  return out
}

/** Runs still sending (of those named, or all) whose messages are all done. */
export async function finishedRuns(db: Executor, only?: readonly string[]): Promise<string[]> {
  if (only && only.length === 0) return []
  const { rows } = await sql<{ id: string }>`
    SELECT r.id FROM broadcast_runs r WHERE r.state = 'sending'
      ${only ? sql`AND r.id = ANY(${[...only]}::uuid[])` : sql``}
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.run_id = r.id AND m.status IN ('queued', 'sending'))`.execute(db)
  return rows.map((r) => r.id)
}

export async function activeRuns(db: Executor, broadcastId: string) {
  return messagingDb(db)
    .selectFrom('broadcast_runs')
    .select(['id', 'state'])
    .where('broadcast_id', '=', broadcastId)
    .where('state', 'in', ['preparing', 'sending', 'paused'])
    .execute()
}

/** The run states of messages' runs (paused and cancelled runs hold their messages back). */
export async function runStates(db: Executor, runIds: readonly string[]): Promise<Map<string, string>> {
  if (runIds.length === 0) return new Map()
  const rows = await messagingDb(db)
    .selectFrom('broadcast_runs')
    .select(['id', 'state'])
    .where('id', 'in', [...runIds])
    .execute()
  return new Map(rows.map((r) => [r.id, r.state]))
}

/** A cancelled run's messages that had not gone: suppressed, reason cancelled. */
export async function cancelQueued(db: Executor, runId: string, now: Date): Promise<void> {
  await sql`UPDATE messages SET status = 'suppressed', reason = 'cancelled', suppressed_at = ${now}, updated_at = ${now} WHERE run_id = ${runId} AND status = 'queued'`.execute(
    db,
  )
}

/**
 * A page of a run's queued messages in due order, after `after` (the last of the previous page):
 * a range of the run index (run_id, status, not_before, id), so paging through a million is linear.
 */
export async function queuedOfRun(
  db: Executor,
  runId: string,
  after: { notBefore: Date; id: string } | null,
  limit: number,
): Promise<Array<{ id: string; notBefore: Date }>> {
  let q = messagingDb(db).selectFrom('messages').select(['id', 'not_before']).where('run_id', '=', runId).where('status', '=', 'queued')
  if (after) q = q.where(sql<boolean>`(not_before, id) > (${after.notBefore}, ${after.id}::uuid)`)
  const rows = await q.orderBy('not_before').orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, notBefore: r.not_before }))
}
