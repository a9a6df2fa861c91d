import type { NewTag, ProfileTag, SegmentNode, TagChange, TagGroup, TagGroupChange } from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { TagsTable } from '../../platform/db/schema.js'
import type { LogMark } from '../../platform/event-log/log-mark.js'
import { lockComputation } from '../audiences/index.js'

/** A tag row with its definition read as what it holds (the only place it is cast). */
export interface TagRecord {
  id: string
  workspaceId: string
  groupId: string | null
  name: string
  kind: 'manual' | 'rule'
  description: string
  labels: string[]
  definition: SegmentNode | null
  size: number
  computedAt: Date | null
  computedSnapshot: LogMark | null
  createdAt: Date
}

const toRecord = (r: Selectable<TagsTable>): TagRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  groupId: r.group_id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  labels: r.labels,
  definition: (r.definition as SegmentNode | null) ?? null,
  size: Number(r.size),
  computedAt: r.computed_at,
  computedSnapshot: r.computed_snapshot,
  createdAt: r.created_at,
})

export const toTag = (t: TagRecord): ProfileTag => ({
  id: t.id,
  name: t.name,
  groupId: t.groupId,
  kind: t.kind,
  description: t.description,
  labels: t.labels,
  definition: t.definition,
  size: t.size,
  computedAt: t.computedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
})

/** Tags matching a filter: of a workspace, by id, by kind, computed once, with a mark, by name. */
export async function tagRecords(
  db: Executor,
  filter: {
    workspaceId?: string
    id?: string
    ids?: readonly string[]
    kind?: 'manual' | 'rule'
    computed?: true
    marked?: true
    name?: string
    label?: string
    groupId?: string
  },
  order: 'id' | 'name' = 'id',
): Promise<TagRecord[]> {
  if (filter.ids?.length === 0) return []
  let q = db.selectFrom('tags').selectAll()
  if (filter.workspaceId) q = q.where('workspace_id', '=', filter.workspaceId)
  if (filter.id) q = q.where('id', '=', filter.id)
  if (filter.ids) q = q.where('id', 'in', [...filter.ids])
  if (filter.kind) q = q.where('kind', '=', filter.kind)
  if (filter.computed) q = q.where('computed_at', 'is not', null)
  if (filter.marked) q = q.where('computed_snapshot', 'is not', null)
  if (filter.name !== undefined) q = q.where('name', '=', filter.name)
  if (filter.label !== undefined) q = q.where(sql<boolean>`labels @> ARRAY[${filter.label.trim()}]::text[]`)
  if (filter.groupId !== undefined) q = q.where('group_id', '=', filter.groupId)
  return (await q.orderBy(order).execute()).map(toRecord)
}

export async function tagRecord(db: Executor, workspaceId: string | undefined, id: string): Promise<TagRecord | undefined> {
  return (await tagRecords(db, { ...(workspaceId ? { workspaceId } : {}), id }))[0]
}

export async function insertTag(db: Executor, workspaceId: string, input: NewTag, now: Date): Promise<TagRecord> {
  const row = await db
    .insertInto('tags')
    .values({
      id: crypto.randomUUID(),
      workspace_id: workspaceId,
      group_id: input.groupId ?? null,
      name: input.name,
      kind: input.kind,
      description: input.description ?? '',
      labels: cleanLabels(input.labels ?? []),
      definition: input.definition ? JSON.stringify(input.definition) : null,
      computed_at: input.kind === 'manual' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

/** Labels as kept: trimmed, once each, in the order given. */
export const cleanLabels = (labels: readonly string[]): string[] => [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ''))]

/** Changes a tag's name, description, group, labels or definition. */
export async function updateTagRecord(db: Executor, id: string, change: TagChange, now: Date): Promise<TagRecord> {
  const row = await db
    .updateTable('tags')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.groupId !== undefined ? { group_id: change.groupId } : {}),
      ...(change.labels !== undefined ? { labels: cleanLabels(change.labels) } : {}),
      ...(change.definition ? { definition: JSON.stringify(change.definition) } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

export async function deleteTagRecord(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('tags').where('id', '=', id).execute()
}

export async function lockTag(db: Executor, id: string): Promise<void> {
  await lockComputation(db, `tag:${id}`)
}

export async function resizeTags(db: Executor, deltas: ReadonlyMap<string, number>): Promise<void> {
  for (const [id, delta] of deltas) await sql`UPDATE tags SET size = size + ${delta} WHERE id = ${id}`.execute(db)
}

/** After a full computation: the size, when, and the mark it read as of. */
export async function tagComputed(db: Executor, id: string, outcome: { size: number; now: Date; mark: LogMark }): Promise<void> {
  await db
    .updateTable('tags')
    .set({ size: outcome.size, computed_at: outcome.now, computed_snapshot: outcome.mark })
    .where('id', '=', id)
    .execute()
}

export async function clearTagMark(db: Executor, id: string, mark: LogMark): Promise<void> {
  await db.updateTable('tags').set({ computed_snapshot: null }).where('id', '=', id).where('computed_snapshot', '=', mark).execute()
}

/** Whether merges or the log have work for tags: a computed rule tag, or a manual tag someone holds. */
export async function tagsInUse(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM tags WHERE kind = 'rule' AND computed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM tags WHERE kind = 'manual' AND size > 0) AS used`.execute(
    db,
  )
  return rows[0]?.used ?? false
}

/** Names and group names of tags of the workspace, in name order. */
export async function tagNames(
  db: Executor,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, { name: string; group: string | null }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('tags as t')
    .leftJoin('tag_groups as g', 'g.id', 't.group_id')
    .select(['t.id', 't.name', 'g.name as group'])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.id', 'in', [...ids])
    .orderBy('t.name')
    .execute()
  return new Map(rows.map((r) => [r.id, { name: r.name, group: r.group }]))
}

/** Of these, the manual tags in exclusive groups, with their name and group. */
export async function exclusiveTagGroups(db: Executor, ids: readonly string[]): Promise<Map<string, { name: string; groupId: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('tags as t')
    .innerJoin('tag_groups as g', 'g.id', 't.group_id')
    .select(['t.id', 't.name', 'g.id as group_id'])
    .where('g.exclusive', '=', true)
    .where('t.kind', '=', 'manual')
    .where('t.id', 'in', [...ids])
    .execute()
  return new Map(rows.map((r) => [r.id, { name: r.name, groupId: r.group_id }]))
}

const toGroup = (r: { id: string; name: string; exclusive: boolean; created_at: Date }): TagGroup => ({
  id: r.id,
  name: r.name,
  exclusive: r.exclusive,
  createdAt: r.created_at.toISOString(),
})

/** Tag groups of the workspace: all by name, or one by id or by name. */
export async function tagGroups(db: Executor, workspaceId: string, only: { id?: string; name?: string } = {}): Promise<TagGroup[]> {
  let q = db.selectFrom('tag_groups').selectAll().where('workspace_id', '=', workspaceId)
  if (only.id) q = q.where('id', '=', only.id)
  if (only.name !== undefined) q = q.where('name', '=', only.name)
  return (await q.orderBy('name').execute()).map(toGroup)
}

export async function insertTagGroup(
  db: Executor,
  workspaceId: string,
  input: { name: string; exclusive: boolean },
  now: Date,
): Promise<TagGroup> {
  const row = await db
    .insertInto('tag_groups')
    .values({ id: crypto.randomUUID(), workspace_id: workspaceId, name: input.name, exclusive: input.exclusive, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toGroup(row)
}

export async function updateTagGroupRecord(db: Executor, id: string, change: TagGroupChange): Promise<TagGroup> {
  const row = await db
    .updateTable('tag_groups')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.exclusive !== undefined ? { exclusive: change.exclusive } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toGroup(row)
}

export async function deleteTagGroupRecord(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('tag_groups').where('id', '=', id).execute()
}

/** Whether a tag group (by id, of any workspace) is exclusive. */
export async function groupIsExclusive(db: Executor, groupId: string): Promise<boolean> {
  return (await db.selectFrom('tag_groups').select('exclusive').where('id', '=', groupId).executeTakeFirst())?.exclusive ?? false
}

/** The other manual tags of a group, by id. */
export async function manualSiblings(db: Executor, groupId: string, exceptId: string): Promise<TagRecord[]> {
  const rows = await db
    .selectFrom('tags')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('id', '<>', exceptId)
    .where('kind', '=', 'manual')
    .orderBy('id')
    .execute()
  return rows.map(toRecord)
}
