import { fail, ok, referencedSegments, type Result, type Segment, type SegmentDuplicate } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { applyMembership, currentMembersSql, definitionsUsing, NOBODY } from '../audiences/index.js'
import { deleteSegmentRecord, insertSegment, segmentRecord, staticMembersSet, toSegment } from './segments-repository.js'
import { auditView, COMPUTE_SEGMENT_QUEUE, nameTaken } from './segments-service.js'

/** The segments and rule tags whose definitions name this segment (itself aside). */
export async function segmentDependents(db: Executor, workspaceId: string, segmentId: string) {
  const users = await definitionsUsing(db, workspaceId, (d) => referencedSegments(d).includes(segmentId))
  return users.filter((u) => !(u.kind === 'segment' && u.id === segmentId)).map((u) => ({ kind: u.kind, id: u.id, name: u.name }))
}

/**
 * Deletes a segment: refused with SEGMENT_IN_USE (naming them) while segments or rule tags refer to
 * it. Its members leave first through the membership engine, so each exit is in their history and
 * the log (`Segment Exited`) like any other.
 */
export async function deleteSegment(ctx: AppContext, scope: WorkspaceScope, segmentId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    // Not locked here: the engine's lock (taken first by a running computation, which then updates
    // this row) is taken by applyMembership below; locking the row first would deadlock with it.
    const row = await segmentRecord(tx, scope.workspaceId, segmentId)
    if (!row) return fail('SEGMENT_NOT_FOUND')
    const usedBy = await segmentDependents(tx, scope.workspaceId, segmentId)
    if (usedBy.length > 0)
      return fail('SEGMENT_IN_USE', `Refer to this segment: ${usedBy.map((u) => `${u.kind} "${u.name}"`).join(', ')}. Change them first.`, {
        usedBy,
      })
    const now = ctx.clock.now()
    const outcome = await applyMembership(tx, { kind: 'segment', id: segmentId, workspaceId: scope.workspaceId, name: row.name }, NOBODY, {
      now,
      actor: scope.actor.label,
    })
    await deleteSegmentRecord(tx, segmentId)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.delete',
      entityType: 'segment',
      entityId: segmentId,
      before: { ...auditView(toSegment(row)), size: row.size },
      after: { membersRemoved: outcome.exited },
      requestId: scope.requestId,
      at: now,
    })
    return ok({})
  })
}

/** `<name> (copy)`, or `<name> (copy 2)`, … : the first that no segment of the workspace has. */
async function copyName(db: Executor, workspaceId: string, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`
    const candidate = `${name.slice(0, 200 - suffix.length)}${suffix}`
    if (!(await nameTaken(db, workspaceId, candidate, null))) return candidate
  }
}

/**
 * Copies a segment under a new name (by default "<name> (copy)"): a dynamic one with the same
 * definition and labels, computed as a new segment by a job; a static one with the same members.
 */
export async function duplicateSegment(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  input: SegmentDuplicate,
): Promise<Result<Segment>> {
  return transact(ctx.db, async (tx) => {
    const source = await segmentRecord(tx, scope.workspaceId, segmentId)
    if (!source) return fail('SEGMENT_NOT_FOUND')
    const name = input.name?.trim() || (await copyName(tx, scope.workspaceId, source.name))
    if (await nameTaken(tx, scope.workspaceId, name, null)) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const copy = await insertSegment(
      tx,
      scope.workspaceId,
      {
        name,
        description: source.description,
        kind: source.kind,
        labels: source.labels,
        ...(source.definition ? { definition: source.definition } : {}),
      },
      now,
    )
    let size = 0
    if (copy.kind === 'dynamic')
      await ctx.jobs.enqueue({ queue: COMPUTE_SEGMENT_QUEUE, workspaceId: scope.workspaceId, payload: { segmentId: copy.id } }, tx)
    else {
      const audience = { kind: 'segment' as const, id: copy.id, workspaceId: scope.workspaceId, name }
      await applyMembership(tx, audience, currentMembersSql({ kind: 'segment', id: source.id }), { now, actor: scope.actor.label })
      size = await staticMembersSet(tx, copy.id, now)
    }
    const segment = { ...toSegment(copy), size }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.duplicate',
      entityType: 'segment',
      entityId: copy.id,
      before: { copiedFrom: source.id, name: source.name },
      after: auditView(segment),
      requestId: scope.requestId,
      at: now,
    })
    return ok(segment)
  })
}
