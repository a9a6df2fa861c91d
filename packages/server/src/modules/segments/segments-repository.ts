import { changesWithTime, type NewSegment, type Segment, type SegmentChange, type SegmentNode } from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { SegmentsTable } from '../../platform/db/schema.js'
import type { LogMark } from '../../platform/event-log/log-mark.js'
import { lockComputation } from '../audiences/index.js'

/** A segment row with its definition read as what it holds (the only place it is cast). */
export interface SegmentRecord {
  id: string
  workspaceId: string
  name: string
  description: string
  kind: 'dynamic' | 'static'
  definition: SegmentNode | null
  labels: string[]
  changesWithTime: boolean
  size: number
  computedAt: Date | null
  computedSnapshot: LogMark | null
  createdAt: Date
  updatedAt: Date
}

const toRecord = (r: Selectable<SegmentsTable>): SegmentRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  kind: r.kind,
  definition: (r.definition as SegmentNode | null) ?? null,
  labels: r.labels,
  changesWithTime: r.changes_with_time,
  size: Number(r.size),
  computedAt: r.computed_at,
  computedSnapshot: r.computed_snapshot,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export const toSegment = (s: SegmentRecord): Segment => ({
  id: s.id,
  name: s.name,
  description: s.description,
  kind: s.kind,
  definition: s.definition,
  labels: s.labels,
  changesWithTime: s.changesWithTime,
  size: s.size,
  computedAt: s.computedAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
})

/** Labels as kept: trimmed, once each, in the order given. */
export const cleanLabels = (labels: readonly string[]): string[] => [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ''))]

/** Segments matching a filter: of a workspace, by id, by kind, computed once, with a mark, by name, by label. */
export async function segmentRecords(
  db: Executor,
  filter: {
    workspaceId?: string
    id?: string
    ids?: readonly string[]
    kind?: 'dynamic' | 'static'
    computed?: true
    marked?: true
    name?: string
    label?: string
  },
  order: 'id' | 'name' = 'id',
): Promise<SegmentRecord[]> {
  if (filter.ids?.length === 0) return []
  let q = db.selectFrom('segments').selectAll()
  if (filter.workspaceId) q = q.where('workspace_id', '=', filter.workspaceId)
  if (filter.id) q = q.where('id', '=', filter.id)
  if (filter.ids) q = q.where('id', 'in', [...filter.ids])
  if (filter.kind) q = q.where('kind', '=', filter.kind)
  if (filter.computed) q = q.where('computed_at', 'is not', null)
  if (filter.marked) q = q.where('computed_snapshot', 'is not', null)
  if (filter.name !== undefined) q = q.where('name', '=', filter.name)
  if (filter.label !== undefined) q = q.where(sql<boolean>`labels @> ARRAY[${filter.label.trim()}]::text[]`)
  return (await q.orderBy(order).execute()).map(toRecord)
}

/**
 * A segment of the workspace, locked for the caller's transaction when asked — `FOR NO KEY UPDATE`,
 * which the members a computation is writing (whose foreign key holds `KEY SHARE`) do not hold up.
 */
export async function segmentRecord(
  db: Executor,
  workspaceId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<SegmentRecord | undefined> {
  const q = db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id)
  const row = await (options.forUpdate ? q.forNoKeyUpdate() : q).executeTakeFirst()
  return row && toRecord(row)
}

export async function insertSegment(db: Executor, workspaceId: string, input: NewSegment, now: Date): Promise<SegmentRecord> {
  const row = await db
    .insertInto('segments')
    .values({
      id: crypto.randomUUID(),
      workspace_id: workspaceId,
      name: input.name,
      description: input.description ?? '',
      kind: input.kind,
      definition: input.definition ? JSON.stringify(input.definition) : null,
      labels: cleanLabels(input.labels ?? []),
      changes_with_time: input.definition ? changesWithTime(input.definition) : false,
      computed_at: input.kind === 'static' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

export async function updateSegmentRecord(db: Executor, id: string, change: SegmentChange, now: Date): Promise<SegmentRecord> {
  const row = await db
    .updateTable('segments')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.labels !== undefined ? { labels: cleanLabels(change.labels) } : {}),
      ...(change.definition
        ? { definition: JSON.stringify(change.definition), changes_with_time: changesWithTime(change.definition) }
        : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

export async function deleteSegmentRecord(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('segments').where('id', '=', id).execute()
}

export async function lockSegment(db: Executor, id: string): Promise<void> {
  await lockComputation(db, `segment:${id}`)
}

export async function resizeSegments(db: Executor, deltas: ReadonlyMap<string, number>): Promise<void> {
  for (const [id, delta] of deltas) await sql`UPDATE segments SET size = size + ${delta} WHERE id = ${id}`.execute(db)
}

/** Leaves a point of the size for the trend chart. */
export async function recordSize(db: Executor, segmentId: string, at: Date, size: number): Promise<void> {
  await db
    .insertInto('segment_sizes')
    .values({ segment_id: segmentId, at, size })
    .onConflict((oc) => oc.columns(['segment_id', 'at']).doUpdateSet({ size }))
    .execute()
}

/** After a full computation: the size (and a point for the trend chart), when, and the mark it read as of. */
export async function segmentComputed(
  db: Executor,
  id: string,
  definition: SegmentNode,
  outcome: { size: number; now: Date; mark: LogMark },
): Promise<void> {
  await db
    .updateTable('segments')
    .set({ size: outcome.size, computed_at: outcome.now, computed_snapshot: outcome.mark, changes_with_time: changesWithTime(definition) })
    .where('id', '=', id)
    .execute()
  await recordSize(db, id, outcome.now, outcome.size)
}

/** A static segment's members were set: it is computed as of now. Answers its size. */
export async function staticMembersSet(db: Executor, id: string, now: Date): Promise<number> {
  const { size } = await db
    .updateTable('segments')
    .set({ computed_at: now, updated_at: now })
    .where('id', '=', id)
    .returning('size')
    .executeTakeFirstOrThrow()
  return Number(size)
}

export async function clearSegmentMark(db: Executor, id: string, mark: LogMark): Promise<void> {
  await db.updateTable('segments').set({ computed_snapshot: null }).where('id', '=', id).where('computed_snapshot', '=', mark).execute()
}

/** Whether merges or the log have work for segments: a computed dynamic segment, or a static one with members. */
export async function segmentsInUse(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM segments WHERE kind = 'dynamic' AND computed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM segments WHERE kind = 'static' AND size > 0) AS used`.execute(
    db,
  )
  return rows[0]?.used ?? false
}

/** Size points of a segment since an instant. */
export async function sizePoints(db: Executor, segmentId: string, since: Date): Promise<Array<{ at: Date; size: number }>> {
  const rows = await db
    .selectFrom('segment_sizes')
    .select(['at', 'size'])
    .where('segment_id', '=', segmentId)
    .where('at', '>=', since)
    .orderBy('at')
    .execute()
  return rows.map((r) => ({ at: r.at, size: Number(r.size) }))
}
