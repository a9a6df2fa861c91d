import { randomUUID } from 'node:crypto'
import { fail, nextBroadcastRun, ok, type Broadcast, type BroadcastState, type NewBroadcast, type Result } from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { currentMembersSql, workspaceZone } from '../audiences/index.js'
import { segmentRecord } from '../segments/index.js'
import {
  activeRuns,
  broadcast,
  broadcasts,
  cancelQueued,
  dueBroadcasts,
  finishedRuns,
  insertBroadcast,
  insertRun,
  queuedOfRun,
  runRecord,
  runsWithProgress,
  setBroadcastState,
  setRunState,
  type BroadcastRecord,
} from './broadcasts-repository.js'
import { enqueueSends } from './message-queue.js'
import { messagingDb } from './messaging-schema.js'
import { template } from './templates-repository.js'

/** Freezes a run's audience and queues its messages. */
export const START_RUN_QUEUE = defineQueue('messaging.broadcast-run', Type.Object({ runId: Type.String({ minLength: 36, maxLength: 36 }) }))

/** Runs shown per broadcast, the latest first: each run's statistics count its messages, so a page polled while sending stays cheap. */
const RUNS_SHOWN = 5

async function toBroadcast(db: Executor, records: readonly BroadcastRecord[]): Promise<Broadcast[]> {
  const runs = await runsWithProgress(
    db,
    records.map((r) => r.id),
    RUNS_SHOWN,
  )
  return records.map((r) => ({
    id: r.id,
    name: r.name,
    templateId: r.templateId,
    segmentId: r.segmentId,
    schedule: r.schedule,
    localTime: r.localTime,
    holdoutPercent: r.holdoutPercent,
    ratePerMinute: r.ratePerMinute,
    state: r.state,
    nextRunAt: r.nextRunAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    runs: runs.get(r.id) ?? [],
  }))
}

export async function listBroadcasts(ctx: AppContext, workspaceId: string): Promise<Broadcast[]> {
  return toBroadcast(ctx.db, await broadcasts(ctx.db, workspaceId))
}

export async function getBroadcast(ctx: AppContext, db: Executor, workspaceId: string, id: string): Promise<Result<Broadcast>> {
  const found = await broadcast(db, workspaceId, id)
  if (!found) return fail('BROADCAST_NOT_FOUND')
  const [shown] = await toBroadcast(db, [found])
  return shown ? ok(shown) : fail('BROADCAST_NOT_FOUND')
}

export async function createBroadcast(ctx: AppContext, scope: WorkspaceScope, input: NewBroadcast): Promise<Result<Broadcast>> {
  return transact(ctx.db, async (tx) => {
    const t = await template(tx, scope.workspaceId, input.templateId)
    if (!t) return fail('TEMPLATE_NOT_FOUND', undefined, { field: 'body.templateId' })
    if (!t.published) return fail('TEMPLATE_NOT_PUBLISHED', undefined, { field: 'body.templateId' })
    if (!(await segmentRecord(tx, scope.workspaceId, input.segmentId)))
      return fail('SEGMENT_NOT_FOUND', undefined, { field: 'body.segmentId' })
    if ((await broadcasts(tx, scope.workspaceId)).some((b) => b.name === input.name))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    if (input.schedule.kind === 'once' && Date.parse(input.schedule.at) < now.getTime() - 60_000)
      return fail('VALIDATION_FAILED', 'A one-off broadcast is scheduled in the future (or use "now").', { field: 'body.schedule.at' })
    const zone = await workspaceZone(tx, scope.workspaceId)
    const draft = input.draft ?? false
    const record: BroadcastRecord = {
      id: randomUUID(),
      workspaceId: scope.workspaceId,
      name: input.name,
      templateId: input.templateId,
      segmentId: input.segmentId,
      schedule: input.schedule,
      localTime: input.localTime ?? false,
      holdoutPercent: input.holdoutPercent ?? 0,
      ratePerMinute: input.ratePerMinute ?? null,
      state: draft ? 'draft' : 'scheduled',
      nextRunAt: draft ? null : nextBroadcastRun(input.schedule, now, zone, true),
      createdAt: now,
    }
    await insertBroadcast(tx, record, now)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'broadcast.create',
      entityType: 'broadcast',
      entityId: record.id,
      after: input,
      requestId: scope.requestId,
      at: now,
    })
    // A broadcast to send now starts in this transaction's wake, not at the next scheduler tick.
    if (record.nextRunAt && record.nextRunAt <= now) await startDueRun(ctx, tx, record, now)
    return getBroadcast(ctx, tx, scope.workspaceId, record.id)
  })
}

/** Moves a broadcast between states: schedule a draft, pause, resume, cancel. */
export async function changeBroadcastState(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  change: 'schedule' | 'pause' | 'resume' | 'cancel',
): Promise<Result<Broadcast>> {
  return transact(ctx.db, async (tx) => {
    const b = await broadcast(tx, scope.workspaceId, id, { forUpdate: true })
    if (!b) return fail('BROADCAST_NOT_FOUND')
    const now = ctx.clock.now()
    const allowed: Record<typeof change, readonly BroadcastState[]> = {
      schedule: ['draft'],
      pause: ['scheduled', 'running'],
      resume: ['paused'],
      cancel: ['draft', 'scheduled', 'running', 'paused'],
    }
    if (!allowed[change].includes(b.state)) return fail('BROADCAST_STATE', `A ${b.state} broadcast cannot ${change}.`)
    const runs = await activeRuns(tx, id)
    const zone = await workspaceZone(tx, scope.workspaceId)
    switch (change) {
      case 'schedule': {
        const next = nextBroadcastRun(b.schedule, now, zone, true)
        await setBroadcastState(tx, id, 'scheduled', next, now)
        if (next && next <= now) await startDueRun(ctx, tx, { ...b, nextRunAt: next }, now)
        break
      }
      case 'pause':
        await setBroadcastState(tx, id, 'paused', b.nextRunAt, now)
        for (const r of runs) if (r.state === 'sending') await setRunState(tx, r.id, 'paused', now)
        break
      case 'resume': {
        const hasActive = runs.some((r) => r.state === 'paused')
        await setBroadcastState(
          tx,
          id,
          hasActive ? 'running' : 'scheduled',
          b.nextRunAt && b.nextRunAt < now ? nextBroadcastRun(b.schedule, now, zone, true) : b.nextRunAt,
          now,
        )
        for (const r of runs) {
          if (r.state !== 'paused') continue
          await setRunState(tx, r.id, 'sending', now)
          // The paused run's messages wait without jobs: queue them again, in pages.
          for (let after: { notBefore: Date; id: string } | null = null; ;) {
            const page = await queuedOfRun(tx, r.id, after, 5000)
            if (page.length === 0) break
            await enqueueSends(
              ctx,
              tx,
              scope.workspaceId,
              page.map((m) => ({ id: m.id, notBefore: m.notBefore < now ? now : m.notBefore })),
            )
            after = page[page.length - 1] ?? null
          }
        }
        break
      }
      case 'cancel':
        await setBroadcastState(tx, id, 'cancelled', null, now)
        for (const r of runs) {
          await cancelQueued(tx, r.id, now)
          await setRunState(tx, r.id, 'cancelled', now, { finished: true })
        }
        break
    }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: `broadcast.${change}`,
      entityType: 'broadcast',
      entityId: id,
      before: { state: b.state },
      requestId: scope.requestId,
      at: now,
    })
    return getBroadcast(ctx, tx, scope.workspaceId, id)
  })
}

/** A due run: its row (once per due time) and the job that freezes its audience; the broadcast moves to its next time. */
async function startDueRun(ctx: AppContext, tx: Executor, b: BroadcastRecord, now: Date): Promise<void> {
  const due = b.nextRunAt ?? now
  const runId = randomUUID()
  if (await insertRun(tx, { id: runId, broadcastId: b.id, workspaceId: b.workspaceId, scheduledFor: due })) {
    await ctx.jobs.enqueue(
      { queue: START_RUN_QUEUE, payload: { runId }, workspaceId: b.workspaceId, idempotencyKey: runId, maxAttempts: 3 },
      tx,
    )
  }
  const next = nextBroadcastRun(b.schedule, due, await workspaceZone(tx, b.workspaceId))
  await setBroadcastState(tx, b.id, next ? 'scheduled' : 'running', next, now)
}

/** The scheduler's tick: starts due runs and completes runs whose messages are all done. */
export async function broadcastTick(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db.transaction().execute(async (tx) => {
    for (const b of await dueBroadcasts(tx, now)) await startDueRun(ctx, tx, b, now)
  })
  await completeRuns(ctx, await finishedRuns(ctx.db))
}

/** Marks runs completed (and a one-off broadcast with its run); called when a batch of a run settles, and by the tick. */
export async function completeRuns(ctx: AppContext, runIds: readonly string[]): Promise<void> {
  const now = ctx.clock.now()
  for (const runId of runIds) {
    await ctx.db.transaction().execute(async (tx) => {
      const run = await runRecord(tx, runId)
      if (!run || run.state !== 'sending') return
      await setRunState(tx, runId, 'completed', now, { finished: true })
      const b = await messagingDb(tx)
        .selectFrom('broadcasts')
        .select(['state', 'next_run_at'])
        .where('id', '=', run.broadcast_id)
        .executeTakeFirst()
      // A one-off is complete with its run; a recurring one stays scheduled for its next.
      if (b?.state === 'running' && b.next_run_at === null) await setBroadcastState(tx, run.broadcast_id, 'completed', null, now)
    })
  }
}

/**
 * Starts a run: freezes the audience as it is now (the segment's members, merged profiles
 * resolved), sets the holdout aside by a deterministic hash of broadcast and profile (the same
 * customers are held out on every run of a recurring broadcast), and queues a message for
 * everyone else — at the run's time, at each customer's local time, or spread by the rate cap —
 * with one send job per due second and batch. One transaction: a crash leaves nothing half-queued.
 */
export async function startRun(ctx: AppContext, runId: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const run = await runRecord(tx, runId)
    if (!run || run.state !== 'preparing') return
    const b = await broadcast(tx, run.workspace_id, run.broadcast_id)
    const t = b && (await template(tx, b.workspaceId, b.templateId))
    const now = ctx.clock.now()
    if (!b || !t?.published || b.state === 'cancelled') {
      await setRunState(tx, runId, 'cancelled', now, { finished: true })
      return
    }
    const zone = await workspaceZone(tx, b.workspaceId)
    const base = run.scheduled_for > now ? run.scheduled_for : now
    const holdoutBasisPoints = Math.round(b.holdoutPercent * 100)
    const members = currentMembersSql({ kind: 'segment', id: b.segmentId })
    const marked = sql`
      SELECT p.id AS profile_id,
        CASE WHEN p.traits->>'timezone' IN (SELECT name FROM time_zones) THEN p.traits->>'timezone' ELSE ${zone} END AS zone,
        (abs(hashtextextended(${b.id} || ':' || p.id::text, 0)) % 10000) < ${holdoutBasisPoints} AS holdout
      FROM (${members}) m JOIN profiles p ON p.id = m.id AND p.workspace_id = ${b.workspaceId} AND p.merged_into IS NULL`
    await sql`INSERT INTO broadcast_holdouts (run_id, profile_id) SELECT ${runId}::uuid, profile_id FROM (${marked}) x WHERE holdout ON CONFLICT DO NOTHING`.execute(
      tx,
    )
    const wall = sql`(${base}::timestamptz AT TIME ZONE ${zone})`
    const local = sql`CASE WHEN (${wall} AT TIME ZONE x.zone) >= ${base}::timestamptz THEN (${wall} AT TIME ZONE x.zone) ELSE ((${wall} + interval '1 day') AT TIME ZONE x.zone) END`
    const start = b.localTime ? local : sql`${base}::timestamptz`
    const spread = b.ratePerMinute ? sql` + ((x.n - 1) * ${60 / b.ratePerMinute}::float8) * interval '1 second'` : sql``
    const origin = JSON.stringify({ origin: { broadcast_id: b.id } })
    await sql`
      INSERT INTO messages (id, workspace_id, profile_id, channel, category, template_id, run_id, idempotency_key, variables, status, not_before, queued_at, updated_at)
      SELECT gen_random_uuid(), ${b.workspaceId}, x.profile_id, ${t.channel}, ${t.category}, ${t.id}, ${runId}::uuid,
        'broadcast:' || ${runId} || ':' || x.profile_id::text, ${origin}::jsonb, 'queued', ${start}${spread}, ${now}, ${now}
      FROM (SELECT m.*, row_number() OVER (ORDER BY m.profile_id) AS n FROM (${marked}) m WHERE NOT m.holdout) x
      ON CONFLICT (workspace_id, idempotency_key) DO NOTHING`.execute(tx)
    const counts = await sql<{ audience: number; holdout: number }>`
      SELECT (SELECT count(*) FROM messages WHERE run_id = ${runId})::int + (SELECT count(*) FROM broadcast_holdouts WHERE run_id = ${runId})::int AS audience,
        (SELECT count(*) FROM broadcast_holdouts WHERE run_id = ${runId})::int AS holdout`.execute(tx)
    // Send jobs: messages grouped by the second they become due (rounded up, so none runs early), in batches.
    for (let after: { notBefore: Date; id: string } | null = null; ;) {
      const page = await queuedOfRun(tx, runId, after, 10_000)
      if (page.length === 0) break
      await enqueueSends(
        ctx,
        tx,
        b.workspaceId,
        page.map((m) => ({ id: m.id, notBefore: new Date(Math.ceil(m.notBefore.getTime() / 1000) * 1000) })),
      )
      after = page[page.length - 1] ?? null
    }
    const row = counts.rows[0]
    await setRunState(tx, runId, b.state === 'paused' ? 'paused' : 'sending', now, {
      audienceSize: row?.audience ?? 0,
      holdoutSize: row?.holdout ?? 0,
      started: true,
    })
  })
}
