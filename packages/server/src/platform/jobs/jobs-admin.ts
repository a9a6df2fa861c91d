import { fail, ok, type Job, type JobState, type QueueStats, type Result } from '@reachloop/domain'
import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import { serialCursor } from '../db/page-cursor.js'
import type { WorkspaceScope } from '../auth/actor.js'
import { recordAudit } from '../audit/audit-service.js'

type JobRow = {
  id: number
  queue: string
  state: string
  attempts: number
  max_attempts: number
  run_at: Date
  last_error: string | null
  payload: unknown
  created_at: Date
  finished_at: Date | null
}

const toJob = (r: JobRow): Job => ({
  id: String(r.id),
  queue: r.queue,
  state: r.state as JobState,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at.toISOString(),
  lastError: r.last_error,
  payload: r.payload,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
})

/** Counts of the workspace's jobs per queue: due, scheduled, retrying, running, dead, done. */
export async function queueStats(ctx: AppContext, scope: WorkspaceScope): Promise<QueueStats[]> {
  const now = ctx.clock.now()
  const rows = await sql<{ queue: string; kind: string; n: number }>`
    SELECT queue,
      CASE WHEN state = 'queued' AND attempts > 0 THEN 'retrying'
           WHEN state = 'queued' AND run_at <= ${now} THEN 'due'
           WHEN state = 'queued' THEN 'scheduled'
           ELSE state END AS kind,
      count(*)::int AS n
    FROM jobs WHERE workspace_id = ${scope.workspaceId}
    GROUP BY 1, 2 ORDER BY 1`.execute(ctx.db)
  const byQueue = new Map<string, QueueStats>()
  for (const r of rows.rows) {
    const stats = byQueue.get(r.queue) ?? { queue: r.queue, due: 0, scheduled: 0, retrying: 0, running: 0, dead: 0, done: 0 }
    if (r.kind in stats && r.kind !== 'queue') (stats as unknown as Record<string, number>)[r.kind] = Number(r.n)
    byQueue.set(r.queue, stats)
  }
  return [...byQueue.values()]
}

export async function listJobs(
  ctx: AppContext,
  scope: WorkspaceScope,
  filter: { queue?: string | undefined; state?: JobState | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: Job[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50
  let query = ctx.db.selectFrom('jobs').selectAll().where('workspace_id', '=', scope.workspaceId)
  if (filter.queue) query = query.where('queue', '=', filter.queue)
  if (filter.state) query = query.where('state', '=', filter.state)
  const after = serialCursor(filter.cursor)
  if (after !== undefined) query = query.where('id', '<', after)
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  return { items: page.map(toJob), nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null }
}

/** Queues a dead job again with a fresh set of attempts; its last error stays for reference. */
export async function retryDeadJob(ctx: AppContext, scope: WorkspaceScope, jobId: number): Promise<Result<Job>> {
  return transact(ctx.db, async (tx) => {
    const before = await tx
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', jobId)
      .where('workspace_id', '=', scope.workspaceId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return fail('JOB_NOT_FOUND')
    if (before.state !== 'dead') return fail('JOB_NOT_RETRYABLE', `Job ${jobId} is ${before.state}; only dead jobs can be retried.`)
    const now = ctx.clock.now()
    const after = await tx
      .updateTable('jobs')
      .set({ state: 'queued', attempts: 0, run_at: now, finished_at: null, updated_at: now })
      .where('id', '=', jobId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'job.retry',
      entityType: 'job',
      entityId: String(jobId),
      before: { state: before.state, attempts: before.attempts },
      after: { state: after.state, attempts: after.attempts },
      requestId: scope.requestId,
      at: now,
    })
    return ok(toJob(after))
  })
}
