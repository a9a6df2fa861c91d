import {
  fail,
  normalizeIdentifier,
  ok,
  type NewTag,
  type ProfileTag,
  type Result,
  type TagGroup,
  type TagProfiles,
} from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { applyMembership, checkAgainstWorkspace, evaluateAudience, NOBODY, runComputation } from '../audiences/index.js'
import { profilesByIdentifiers, survivorsOf } from '../identity/index.js'
import { groupIsExclusive, insertTag, insertTagGroup, manualSiblings, tagGroups, tagRecord, tagRecords, toTag } from './tags-repository.js'

/** The job that computes a rule tag in full (after it is created). */
export const COMPUTE_TAG_QUEUE = defineQueue('tags.compute', Type.Object({ tagId: Type.String({ minLength: 1 }) }))

export async function listTagGroups(ctx: AppContext, workspaceId: string): Promise<TagGroup[]> {
  return tagGroups(ctx.db, workspaceId)
}

export async function createTagGroup(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: { name: string; exclusive?: boolean | undefined },
): Promise<Result<TagGroup>> {
  return transact(ctx.db, async (tx) => {
    if ((await tagGroups(tx, scope.workspaceId, { name: input.name })).length > 0)
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const group = await insertTagGroup(tx, scope.workspaceId, { name: input.name, exclusive: input.exclusive ?? false }, now)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag_group.create',
      entityType: 'tag_group',
      entityId: group.id,
      after: group,
      requestId: scope.requestId,
      at: now,
    })
    return ok(group)
  })
}

/** The workspace's tags by name; with a label, only those that carry it. */
export async function listTags(ctx: AppContext, workspaceId: string, label?: string): Promise<ProfileTag[]> {
  return (await tagRecords(ctx.db, { workspaceId, ...(label !== undefined ? { label } : {}) }, 'name')).map(toTag)
}

/** Why a new tag cannot be created as asked, or null. */
async function refusal(tx: Executor, workspaceId: string, input: NewTag) {
  if (input.kind === 'rule' && !input.definition)
    return fail('INVALID_DEFINITION', 'A rule tag needs a definition.', {
      problems: [{ path: 'definition', message: 'required for a rule tag' }],
    })
  if (input.kind === 'manual' && input.definition)
    return fail('INVALID_DEFINITION', 'A manual tag has no definition.', {
      problems: [{ path: 'definition', message: 'not allowed for a manual tag' }],
    })
  if (input.definition) {
    const checked = await checkAgainstWorkspace(tx, workspaceId, input.definition, null)
    if (!checked.ok) return checked
  }
  if (input.groupId && (await tagGroups(tx, workspaceId, { id: input.groupId })).length === 0)
    return fail('TAG_GROUP_NOT_FOUND', undefined, { field: 'body.groupId' })
  if ((await tagRecords(tx, { workspaceId, name: input.name })).length > 0) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
  return null
}

/** Creates a tag. A rule tag is checked like a segment definition and computed by a job. */
export async function createTag(ctx: AppContext, scope: WorkspaceScope, input: NewTag): Promise<Result<ProfileTag>> {
  return transact(ctx.db, async (tx) => {
    const refused = await refusal(tx, scope.workspaceId, input)
    if (refused) return refused
    const now = ctx.clock.now()
    const row = await insertTag(tx, scope.workspaceId, input, now)
    if (row.kind === 'rule')
      await ctx.jobs.enqueue({ queue: COMPUTE_TAG_QUEUE, workspaceId: scope.workspaceId, payload: { tagId: row.id } }, tx)
    const tag = toTag(row)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag.create',
      entityType: 'tag',
      entityId: tag.id,
      after: {
        name: tag.name,
        description: tag.description,
        kind: tag.kind,
        groupId: tag.groupId,
        labels: tag.labels,
        definition: tag.definition,
      },
      requestId: scope.requestId,
      at: now,
    })
    return ok(tag)
  })
}

/** Live profiles named by id (merged ones followed to their survivor) or by identifier. */
async function profilesNamed(db: Executor, workspaceId: string, input: TagProfiles): Promise<{ ids: string[]; unknown: number }> {
  if (input.identifierType && input.values) {
    const values = [...new Set(input.values.map((v) => normalizeIdentifier(input.identifierType ?? '', v) ?? v.trim()))]
    const rows = await profilesByIdentifiers(db, workspaceId, { types: [input.identifierType], values })
    return { ids: [...new Set(rows.map((r) => r.profileId))], unknown: values.length - new Set(rows.map((r) => r.value)).size }
  }
  const asked = [...new Set(input.profileIds ?? [])]
  if (asked.length === 0) return { ids: [], unknown: 0 }
  const survivors = await survivorsOf(db, workspaceId, asked)
  return { ids: [...new Set(survivors.values())], unknown: asked.length - survivors.size }
}

/**
 * Puts a manual tag on profiles or takes it off. In an exclusive group, adding a tag takes the
 * group's other tags off those profiles. Every change is kept in the tag history and the log.
 */
export async function tagProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  tagId: string,
  input: TagProfiles,
): Promise<Result<{ changed: number; unknown: number; size: number }>> {
  return transact(ctx.db, async (tx) => {
    const tag = await tagRecord(tx, scope.workspaceId, tagId)
    if (!tag) return fail('TAG_NOT_FOUND')
    if (tag.kind !== 'manual') return fail('WRONG_SEGMENT_KIND', 'A rule tag is computed from its definition; it cannot be given by hand.')
    if (!input.profileIds && !(input.identifierType && input.values))
      return fail('VALIDATION_FAILED', 'Name the profiles: profileIds, or identifierType with values.', {
        fields: [{ field: 'body.profileIds', message: 'profileIds or identifierType + values' }],
      })
    const { ids, unknown } = await profilesNamed(tx, scope.workspaceId, input)
    const now = ctx.clock.now()
    const options = { now, actor: scope.actor.label, profileIds: ids }
    let changed = 0
    if (ids.length > 0) {
      if (input.action === 'add' && tag.groupId && (await groupIsExclusive(tx, tag.groupId)))
        for (const s of await manualSiblings(tx, tag.groupId, tagId))
          await applyMembership(tx, { kind: 'tag', id: s.id, workspaceId: scope.workspaceId, name: s.name }, NOBODY, options)
      // Within the named profiles: all of them hold the tag afterwards (add), or none (remove).
      const target = input.action === 'add' ? sql`SELECT unnest(${ids}::uuid[]) AS id` : NOBODY
      const outcome = await applyMembership(tx, { kind: 'tag', id: tagId, workspaceId: scope.workspaceId, name: tag.name }, target, options)
      changed = outcome.entered + outcome.exited
    }
    const size = (await tagRecord(tx, undefined, tagId))?.size ?? 0
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: `tag.${input.action}`,
      entityType: 'tag',
      entityId: tagId,
      after: { profiles: ids.length, changed, unknown },
      requestId: scope.requestId,
      at: now,
    })
    return ok({ changed, unknown, size })
  })
}

/** Computes a rule tag in full, like a segment (within `COMPUTE_TIMEOUT_MS`, cancellable; interrupted, nothing is kept). */
export async function computeTag(ctx: AppContext, tagId: string): Promise<Result<true>> {
  return runComputation(ctx, `tag:${tagId}`, async (tx) => {
    const tag = await tagRecord(tx, undefined, tagId)
    if (!tag || tag.kind !== 'rule' || !tag.definition) return ok(true)
    await evaluateAudience(
      tx,
      { kind: 'tag', id: tag.id, workspaceId: tag.workspaceId, name: tag.name, definition: tag.definition },
      { now: ctx.clock.now(), actor: 'tags' },
    )
    return ok(true)
  })
}
