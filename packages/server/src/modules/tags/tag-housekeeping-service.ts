import { conditionsOf, fail, ok, type ProfileTag, type Result, type TagChange, type TagGroup, type TagGroupChange } from '@reachloop/domain'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { applyMembership, checkAgainstWorkspace, currentMembersSql, definitionsUsing, NOBODY } from '../audiences/index.js'
import {
  deleteTagGroupRecord,
  deleteTagRecord,
  tagGroups,
  tagRecord,
  tagRecords,
  toTag,
  updateTagGroupRecord,
  updateTagRecord,
  type TagRecord,
} from './tags-repository.js'
import { COMPUTE_TAG_QUEUE } from './tags-service.js'

const auditView = (t: TagRecord) => ({
  name: t.name,
  description: t.description,
  kind: t.kind,
  groupId: t.groupId,
  labels: t.labels,
  definition: t.definition,
})

/** The segments and rule tags whose definitions name this tag (itself aside). */
export async function tagDependents(db: Executor, workspaceId: string, tagId: string) {
  const users = await definitionsUsing(db, workspaceId, (d) => conditionsOf(d).some((c) => c.kind === 'tag' && c.tagId === tagId))
  return users.filter((u) => !(u.kind === 'tag' && u.id === tagId)).map((u) => ({ kind: u.kind, id: u.id, name: u.name }))
}

/** How many profiles hold two or more of these tags (the membership engine's members, counted here). */
async function profilesHoldingSeveral(db: Executor, tagIds: readonly string[]): Promise<number> {
  if (tagIds.length < 2) return 0
  const members = sql.join(
    tagIds.map((id) => sql`(${currentMembersSql({ kind: 'tag', id })})`),
    sql` UNION ALL `,
  )
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT id FROM (${members}) m GROUP BY id HAVING count(*) > 1) several`.execute(db)
  return rows[0]?.n ?? 0
}

/** A group cannot be exclusive while some profile holds two of its manual tags (`extra`: one about to join it). */
async function exclusiveConflict(db: Executor, workspaceId: string, groupId: string, extra: TagRecord | null) {
  const manual = (await tagRecords(db, { workspaceId, groupId, kind: 'manual' })).filter((t) => t.id !== extra?.id)
  const tags = extra?.kind === 'manual' ? [...manual, extra] : extra ? [] : manual
  const profiles = await profilesHoldingSeveral(
    db,
    tags.map((t) => t.id),
  )
  if (profiles === 0) return null
  return fail(
    'EXCLUSIVE_GROUP_CONFLICT',
    `${profiles} profile(s) hold more than one of ${tags.map((t) => `"${t.name}"`).join(', ')}; take the extra tags off them first.`,
    { profiles, tags: tags.map((t) => ({ id: t.id, name: t.name })) },
  )
}

/** Why a tag cannot be changed as asked, or null. */
async function changeRefusal(tx: Executor, workspaceId: string, tag: TagRecord, change: TagChange) {
  if (change.definition && tag.kind === 'manual')
    return fail('WRONG_SEGMENT_KIND', 'A manual tag has no definition: it is given by hand.', { field: 'body.definition' })
  if (change.definition) {
    if (conditionsOf(change.definition).some((c) => c.kind === 'tag' && c.tagId === tag.id))
      return fail('INVALID_DEFINITION', 'A rule tag cannot be defined by itself.', {
        problems: [{ path: 'definition', message: 'names this tag' }],
      })
    const checked = await checkAgainstWorkspace(tx, workspaceId, change.definition, null)
    if (!checked.ok) return checked
  }
  if (change.name !== undefined && change.name !== tag.name && (await tagRecords(tx, { workspaceId, name: change.name })).length > 0)
    return fail('NAME_TAKEN', undefined, { field: 'body.name' })
  if (change.groupId && change.groupId !== tag.groupId) {
    const [group] = await tagGroups(tx, workspaceId, { id: change.groupId })
    if (!group) return fail('TAG_GROUP_NOT_FOUND', undefined, { field: 'body.groupId' })
    if (group.exclusive) return exclusiveConflict(tx, workspaceId, group.id, tag)
  }
  return null
}

/** Renames, describes, regroups or labels a tag; a rule tag's new definition is computed by a job. */
export async function updateTag(ctx: AppContext, scope: WorkspaceScope, tagId: string, change: TagChange): Promise<Result<ProfileTag>> {
  return transact(ctx.db, async (tx) => {
    const before = await tagRecord(tx, scope.workspaceId, tagId)
    if (!before) return fail('TAG_NOT_FOUND')
    const refused = await changeRefusal(tx, scope.workspaceId, before, change)
    if (refused) return refused
    const now = ctx.clock.now()
    const after = await updateTagRecord(tx, tagId, change, now)
    if (change.definition) await ctx.jobs.enqueue({ queue: COMPUTE_TAG_QUEUE, workspaceId: scope.workspaceId, payload: { tagId } }, tx)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag.update',
      entityType: 'tag',
      entityId: tagId,
      before: auditView(before),
      after: auditView(after),
      requestId: scope.requestId,
      at: now,
    })
    return ok(toTag(after))
  })
}

/**
 * Deletes a tag: refused with TAG_IN_USE (naming them) while segments or rule tags refer to it.
 * It comes off its holders first through the membership engine (`Tag Removed` in their history).
 */
export async function deleteTag(ctx: AppContext, scope: WorkspaceScope, tagId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const row = await tagRecord(tx, scope.workspaceId, tagId)
    if (!row) return fail('TAG_NOT_FOUND')
    const usedBy = await tagDependents(tx, scope.workspaceId, tagId)
    if (usedBy.length > 0)
      return fail('TAG_IN_USE', `Refer to this tag: ${usedBy.map((u) => `${u.kind} "${u.name}"`).join(', ')}. Change them first.`, {
        usedBy,
      })
    const now = ctx.clock.now()
    const audience = { kind: 'tag' as const, id: tagId, workspaceId: scope.workspaceId, name: row.name }
    const outcome = await applyMembership(tx, audience, NOBODY, { now, actor: scope.actor.label })
    await deleteTagRecord(tx, tagId)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag.delete',
      entityType: 'tag',
      entityId: tagId,
      before: { ...auditView(row), size: row.size },
      after: { membersRemoved: outcome.exited },
      requestId: scope.requestId,
      at: now,
    })
    return ok({})
  })
}

/** Renames a group or makes it exclusive (refused while a profile holds two of its manual tags) or not. */
export async function updateTagGroup(
  ctx: AppContext,
  scope: WorkspaceScope,
  groupId: string,
  change: TagGroupChange,
): Promise<Result<TagGroup>> {
  return transact(ctx.db, async (tx) => {
    const [before] = await tagGroups(tx, scope.workspaceId, { id: groupId })
    if (!before) return fail('TAG_GROUP_NOT_FOUND')
    if (change.name === undefined && change.exclusive === undefined) return ok(before)
    if (
      change.name !== undefined &&
      change.name !== before.name &&
      (await tagGroups(tx, scope.workspaceId, { name: change.name })).length > 0
    )
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    if (change.exclusive && !before.exclusive) {
      const conflict = await exclusiveConflict(tx, scope.workspaceId, groupId, null)
      if (conflict) return conflict
    }
    const after = await updateTagGroupRecord(tx, groupId, change)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag_group.update',
      entityType: 'tag_group',
      entityId: groupId,
      before,
      after,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(after)
  })
}

/** Deletes an empty tag group; refused with TAG_GROUP_NOT_EMPTY (naming them) while it has tags. */
export async function deleteTagGroup(ctx: AppContext, scope: WorkspaceScope, groupId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const [group] = await tagGroups(tx, scope.workspaceId, { id: groupId })
    if (!group) return fail('TAG_GROUP_NOT_FOUND')
    const tags = await tagRecords(tx, { workspaceId: scope.workspaceId, groupId }, 'name')
    if (tags.length > 0)
      return fail('TAG_GROUP_NOT_EMPTY', `The group still has ${tags.map((t) => `"${t.name}"`).join(', ')}; move or delete them first.`, {
        tags: tags.map((t) => ({ id: t.id, name: t.name })),
      })
    await deleteTagGroupRecord(tx, groupId)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag_group.delete',
      entityType: 'tag_group',
      entityId: groupId,
      before: group,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}
