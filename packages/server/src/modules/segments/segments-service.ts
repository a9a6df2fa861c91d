import { fail, ok, type NewSegment, type Result, type Segment, type SegmentChange } from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { checkAgainstWorkspace } from '../audiences/index.js'
import { insertSegment, segmentRecord, segmentRecords, toSegment, updateSegmentRecord } from './segments-repository.js'

/** The job that computes a segment in full (after it is created or its definition changes). */
export const COMPUTE_SEGMENT_QUEUE = defineQueue('segments.compute', Type.Object({ segmentId: Type.String({ minLength: 1 }) }))

export const auditView = (s: Segment) => ({
  name: s.name,
  description: s.description,
  kind: s.kind,
  definition: s.definition,
  labels: s.labels,
})

/** The workspace's segments by name; with a label, only those that carry it. */
export async function listSegments(ctx: AppContext, workspaceId: string, label?: string): Promise<Segment[]> {
  return (await segmentRecords(ctx.db, { workspaceId, ...(label !== undefined ? { label } : {}) }, 'name')).map(toSegment)
}

export async function getSegment(ctx: AppContext, workspaceId: string, segmentId: string): Promise<Result<Segment>> {
  const row = await segmentRecord(ctx.db, workspaceId, segmentId)
  return row ? ok(toSegment(row)) : fail('SEGMENT_NOT_FOUND')
}

export const nameTaken = async (db: Executor, workspaceId: string, name: string, exceptId: string | null) => {
  const [row] = await segmentRecords(db, { workspaceId, name })
  return row !== undefined && row.id !== exceptId
}

/** Why a new segment cannot be created as asked, or null. */
async function refusal(tx: Executor, workspaceId: string, input: NewSegment) {
  if (input.kind === 'dynamic' && !input.definition)
    return fail('INVALID_DEFINITION', 'A dynamic segment needs a definition.', {
      problems: [{ path: 'definition', message: 'required for a dynamic segment' }],
    })
  if (input.kind === 'static' && input.definition)
    return fail('INVALID_DEFINITION', 'A static segment has no definition: put profiles in it by identifier.', {
      problems: [{ path: 'definition', message: 'not allowed for a static segment' }],
    })
  if (input.definition) {
    const checked = await checkAgainstWorkspace(tx, workspaceId, input.definition, null)
    if (!checked.ok) return checked
  }
  if (await nameTaken(tx, workspaceId, input.name, null)) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
  return null
}

/** Creates a segment. A dynamic one gets a job that computes its members. */
export async function createSegment(ctx: AppContext, scope: WorkspaceScope, input: NewSegment): Promise<Result<Segment>> {
  return transact(ctx.db, async (tx) => {
    const refused = await refusal(tx, scope.workspaceId, input)
    if (refused) return refused
    const now = ctx.clock.now()
    const segment = toSegment(await insertSegment(tx, scope.workspaceId, input, now))
    if (segment.kind === 'dynamic')
      await ctx.jobs.enqueue({ queue: COMPUTE_SEGMENT_QUEUE, workspaceId: scope.workspaceId, payload: { segmentId: segment.id } }, tx)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.create',
      entityType: 'segment',
      entityId: segment.id,
      after: auditView(segment),
      requestId: scope.requestId,
      at: now,
    })
    return ok(segment)
  })
}

export async function updateSegment(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  change: SegmentChange,
): Promise<Result<Segment>> {
  return transact(ctx.db, async (tx) => {
    const before = await segmentRecord(tx, scope.workspaceId, segmentId, { forUpdate: true })
    if (!before) return fail('SEGMENT_NOT_FOUND')
    if (change.definition && before.kind === 'static') return fail('WRONG_SEGMENT_KIND', 'A static segment has no definition.')
    if (change.definition) {
      const checked = await checkAgainstWorkspace(tx, scope.workspaceId, change.definition, segmentId)
      if (!checked.ok) return checked
    }
    if (change.name !== undefined && change.name !== before.name && (await nameTaken(tx, scope.workspaceId, change.name, segmentId)))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const segment = toSegment(await updateSegmentRecord(tx, segmentId, change, now))
    // In the change's transaction, one per change: a key made of the time dropped a second change within the same millisecond.
    if (change.definition)
      await ctx.jobs.enqueue({ queue: COMPUTE_SEGMENT_QUEUE, workspaceId: scope.workspaceId, payload: { segmentId } }, tx)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.update',
      entityType: 'segment',
      entityId: segmentId,
      before: auditView(toSegment(before)),
      after: auditView(segment),
      requestId: scope.requestId,
      at: now,
    })
    return ok(segment)
  })
}
