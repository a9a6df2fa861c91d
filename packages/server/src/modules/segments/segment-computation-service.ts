import { fail, ok, type Result, type SegmentComputation, type SegmentNode, type SegmentPreview } from '@reachloop/domain'
import { sql } from 'kysely'
import type { Actor, WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { boundedTransaction } from '../../platform/db/bounded-transaction.js'
import {
  cancelComputation,
  checkAgainstWorkspace,
  compileSegment,
  evaluateAudience,
  runComputation,
  workspaceZone,
} from '../audiences/index.js'
import { memberProfiles } from './segment-members-service.js'
import { segmentRecord } from './segments-repository.js'
import { getSegment } from './segments-service.js'

/**
 * How many profiles a definition matches now, with a sample of them, without saving anything. The
 * count runs read-only within `PREVIEW_TIMEOUT_MS` (`PREVIEW_TIMED_OUT` past it) and stops in the
 * database when `signal` aborts (the client went away: `PREVIEW_CANCELLED`).
 */
export async function previewSegment(
  ctx: AppContext,
  scope: WorkspaceScope,
  definition: SegmentNode,
  signal?: AbortSignal,
): Promise<Result<SegmentPreview>> {
  const started = performance.now()
  const timeoutMs = ctx.config.previewTimeoutMs
  const counted = await boundedTransaction(
    ctx.db,
    { timeoutMs, signal, purpose: 'preview', readOnly: true },
    async (tx) => {
      const checked = await checkAgainstWorkspace(tx, scope.workspaceId, definition, null)
      if (!checked.ok) return checked
      const target = compileSegment(definition, {
        workspaceId: scope.workspaceId,
        now: ctx.clock.now(),
        timeZone: await workspaceZone(tx, scope.workspaceId),
      })
      const { rows } = await sql<{ n: number; sample: string[] | null }>`
        WITH target AS MATERIALIZED (${target})
        SELECT (SELECT count(*)::int FROM target) AS n, (SELECT array_agg(id) FROM (SELECT id FROM target LIMIT 10) s) AS sample`.execute(
        tx,
      )
      return ok({ count: rows[0]?.n ?? 0, sample: rows[0]?.sample ?? [] })
    },
    (why) =>
      why === 'cancelled'
        ? fail('PREVIEW_CANCELLED')
        : fail(
            'PREVIEW_TIMED_OUT',
            `The preview took longer than ${timeoutMs / 1000} s and was stopped. Narrow the definition (a shorter time window, fewer or more specific conditions) and try again.`,
            { timeoutMs },
          ),
  )
  if (!counted.ok) return counted
  return ok({
    count: counted.value.count,
    sample: await memberProfiles(
      ctx,
      scope,
      scope.workspaceId,
      counted.value.sample.map((id) => ({ id })),
    ),
    tookMs: Math.round(performance.now() - started),
  })
}

/**
 * Computes a dynamic segment in full now; asked for through the API, the computation is audited. It
 * runs within `COMPUTE_TIMEOUT_MS` and can be cancelled (`cancelSegmentComputation`); either way it
 * rolls back and the members stay as they were.
 */
export async function computeSegment(
  ctx: AppContext,
  workspaceId: string,
  segmentId: string,
  by: { actor: Actor; requestId: string | null } | 'job',
): Promise<Result<SegmentComputation>> {
  const actor = by === 'job' ? 'segments' : by.actor.label
  const started = performance.now()
  return runComputation(ctx, `segment:${segmentId}`, async (tx) => {
    // Not locked: a save of the segment is answered while it computes (the computation's own lock is
    // taken by the membership engine); a new definition queues a computation of its own.
    const row = await segmentRecord(tx, workspaceId, segmentId)
    if (!row) return fail('SEGMENT_NOT_FOUND')
    if (row.kind !== 'dynamic' || !row.definition) return fail('WRONG_SEGMENT_KIND', 'Only a dynamic segment is computed.')
    const outcome = await evaluateAudience(
      tx,
      { kind: 'segment', id: row.id, workspaceId, name: row.name, definition: row.definition },
      { now: ctx.clock.now(), actor },
    )
    const after = await segmentRecord(tx, workspaceId, segmentId)
    const computation = { size: after?.size ?? 0, ...outcome, tookMs: Math.round(performance.now() - started) }
    if (by !== 'job')
      await recordAudit(tx, {
        workspaceId,
        actor: by.actor,
        action: 'segment.compute',
        entityType: 'segment',
        entityId: segmentId,
        after: computation,
        requestId: by.requestId,
        at: ctx.clock.now(),
      })
    return ok(computation)
  })
}

/**
 * Cancels the full computation of a segment running in this process (asked for or a job): its
 * statement stops in the database and it rolls back, answering `COMPUTATION_CANCELLED`. Answers
 * whether one was running; the request is audited either way.
 */
export async function cancelSegmentComputation(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
): Promise<Result<{ cancelled: boolean }>> {
  const segment = await getSegment(ctx, scope.workspaceId, segmentId)
  if (!segment.ok) return segment
  const cancelled = await cancelComputation(`segment:${segmentId}`)
  await recordAudit(ctx.db, {
    workspaceId: scope.workspaceId,
    actor: scope.actor,
    action: 'segment.compute_cancel',
    entityType: 'segment',
    entityId: segmentId,
    after: { cancelled },
    requestId: scope.requestId,
    at: ctx.clock.now(),
  })
  return ok({ cancelled })
}
