import {
  conditionsOf,
  fail,
  normalizeIdentifier,
  ok,
  type AudienceChange,
  type NewTag,
  type ProfileTag,
  type Result,
  type SegmentNode,
  type TagGroup,
  type TagProfiles,
} from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import type { TagsTable } from '../../platform/db/schema.js'
import { applyMembership, evaluateAudience } from './membership.js'
import { checkAgainstWorkspace } from './segments-service.js'
import { runComputation } from './running-computations.js'
import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

/** The job that computes a rule tag in full (after it is created). */
export const COMPUTE_TAG_QUEUE = defineQueue('tags.compute', Type.Object({ tagId: Type.String({ minLength: 1 }) }))

const toTag = (row: Selectable<TagsTable>): ProfileTag => ({
  id: row.id,
  name: row.name,
  groupId: row.group_id,
  kind: row.kind,
  definition: (row.definition as SegmentNode | null) ?? null,
  size: Number(row.size),
  computedAt: row.computed_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
})

export async function listTagGroups(ctx: AppContext, workspaceId: string): Promise<TagGroup[]> {
  const rows = await ctx.db.selectFrom('tag_groups').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute()
  return rows.map((r) => ({ id: r.id, name: r.name, exclusive: r.exclusive, createdAt: r.created_at.toISOString() }))
}

export async function createTagGroup(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: { name: string; exclusive?: boolean | undefined },
): Promise<Result<TagGroup>> {
  return transact(ctx.db, async (tx) => {
    const taken = await tx
      .selectFrom('tag_groups')
      .select('id')
      .where('workspace_id', '=', scope.workspaceId)
      .where('name', '=', input.name)
      .executeTakeFirst()
    if (taken) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await tx
      .insertInto('tag_groups')
      .values({
        id: crypto.randomUUID(),
        workspace_id: scope.workspaceId,
        name: input.name,
        exclusive: input.exclusive ?? false,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const group = { id: row.id, name: row.name, exclusive: row.exclusive, createdAt: row.created_at.toISOString() }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag_group.create',
      entityType: 'tag_group',
      entityId: row.id,
      after: group,
      requestId: scope.requestId,
      at: now,
    })
    return ok(group)
  })
}

export async function listTags(ctx: AppContext, workspaceId: string): Promise<ProfileTag[]> {
  return (await ctx.db.selectFrom('tags').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute()).map(toTag)
}

/** Creates a tag. A rule tag is checked like a segment definition and computed by a job. */
export async function createTag(ctx: AppContext, scope: WorkspaceScope, input: NewTag): Promise<Result<ProfileTag>> {
  return transact(ctx.db, async (tx) => {
    if (input.kind === 'rule' && !input.definition)
      return fail('INVALID_DEFINITION', 'A rule tag needs a definition.', {
        problems: [{ path: 'definition', message: 'required for a rule tag' }],
      })
    if (input.kind === 'manual' && input.definition)
      return fail('INVALID_DEFINITION', 'A manual tag has no definition.', {
        problems: [{ path: 'definition', message: 'not allowed for a manual tag' }],
      })
    if (input.definition) {
      const checked = await checkAgainstWorkspace(tx, scope.workspaceId, input.definition, null)
      if (!checked.ok) return checked
    }
    if (
      input.groupId &&
      !(await tx
        .selectFrom('tag_groups')
        .select('id')
        .where('workspace_id', '=', scope.workspaceId)
        .where('id', '=', input.groupId)
        .executeTakeFirst())
    )
      return fail('TAG_GROUP_NOT_FOUND', undefined, { field: 'body.groupId' })
    if (
      await tx
        .selectFrom('tags')
        .select('id')
        .where('workspace_id', '=', scope.workspaceId)
        .where('name', '=', input.name)
        .executeTakeFirst()
    )
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await tx
      .insertInto('tags')
      .values({
        id: crypto.randomUUID(),
        workspace_id: scope.workspaceId,
        group_id: input.groupId ?? null,
        name: input.name,
        kind: input.kind,
        definition: input.definition ? JSON.stringify(input.definition) : null,
        computed_at: input.kind === 'manual' ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (row.kind === 'rule')
      await ctx.jobs.enqueue({ queue: COMPUTE_TAG_QUEUE, workspaceId: scope.workspaceId, payload: { tagId: row.id } }, tx)
    const tag = toTag(row)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag.create',
      entityType: 'tag',
      entityId: tag.id,
      after: { name: tag.name, kind: tag.kind, groupId: tag.groupId, definition: tag.definition },
      requestId: scope.requestId,
      at: now,
    })
    return ok(tag)
  })
}

export async function deleteTag(ctx: AppContext, scope: WorkspaceScope, tagId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('tags')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', tagId)
      .executeTakeFirst()
    if (!row) return fail('TAG_NOT_FOUND')
    // Segments and rule tags whose definitions name this tag.
    const names = (definition: unknown) =>
      definition !== null && conditionsOf(definition as SegmentNode).some((c) => c.kind === 'tag' && c.tagId === tagId)
    const users = [
      ...(await tx.selectFrom('segments').select(['id', 'name', 'definition']).where('workspace_id', '=', scope.workspaceId).execute()),
      ...(await tx
        .selectFrom('tags')
        .select(['id', 'name', 'definition'])
        .where('workspace_id', '=', scope.workspaceId)
        .where('id', '<>', tagId)
        .execute()),
    ].filter((u) => names(u.definition))
    if (users.length > 0)
      return fail('SEGMENT_IN_USE', 'Segments or rule tags refer to this tag; change them first.', {
        segments: users.map((u) => ({ id: u.id, name: u.name })),
      })
    await tx.deleteFrom('tags').where('id', '=', tagId).execute()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'tag.delete',
      entityType: 'tag',
      entityId: tagId,
      before: { name: row.name, kind: row.kind },
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}

/**
 * Live profiles named by id (merged ones followed to their survivor) or by identifier. The lists go
 * as one array parameter: `IN (…)` takes a parameter per value, and PostgreSQL refuses past 65,535.
 */
async function profilesNamed(db: Executor, workspaceId: string, input: TagProfiles): Promise<{ ids: string[]; unknown: number }> {
  if (input.identifierType && input.values) {
    const values = [...new Set(input.values.map((v) => normalizeIdentifier(input.identifierType ?? '', v) ?? v.trim()))]
    const rows = await db
      .selectFrom('profile_identifiers')
      .select(['profile_id', 'value'])
      .where('workspace_id', '=', workspaceId)
      .where('type', '=', input.identifierType)
      .where(sql<boolean>`value = ANY(${values}::text[])`)
      .execute()
    return { ids: [...new Set(rows.map((r) => r.profile_id))], unknown: values.length - new Set(rows.map((r) => r.value)).size }
  }
  const asked = [...new Set(input.profileIds ?? [])]
  if (asked.length === 0) return { ids: [], unknown: 0 }
  const rows = await db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`id = ANY(${asked}::uuid[])`)
    .execute()
  return { ids: [...new Set(rows.map((r) => r.merged_into ?? r.id))], unknown: asked.length - rows.length }
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
    const tag = await tx
      .selectFrom('tags')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', tagId)
      .executeTakeFirst()
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
      if (input.action === 'add' && tag.group_id) {
        const group = await tx.selectFrom('tag_groups').select('exclusive').where('id', '=', tag.group_id).executeTakeFirst()
        if (group?.exclusive) {
          const siblings = await tx
            .selectFrom('tags')
            .select(['id', 'name'])
            .where('group_id', '=', tag.group_id)
            .where('id', '<>', tagId)
            .where('kind', '=', 'manual')
            .orderBy('id')
            .execute()
          for (const s of siblings)
            await applyMembership(
              tx,
              { kind: 'tag', id: s.id, workspaceId: scope.workspaceId, name: s.name },
              sql`SELECT NULL::uuid AS id WHERE false`,
              options,
            )
        }
      }
      // Within the named profiles: all of them hold the tag afterwards (add), or none (remove).
      const target = input.action === 'add' ? sql`SELECT unnest(${ids}::uuid[]) AS id` : sql`SELECT NULL::uuid AS id WHERE false`
      const outcome = await applyMembership(tx, { kind: 'tag', id: tagId, workspaceId: scope.workspaceId, name: tag.name }, target, options)
      changed = outcome.entered + outcome.exited
    }
    const { size } = await tx.selectFrom('tags').select('size').where('id', '=', tagId).executeTakeFirstOrThrow()
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
    return ok({ changed, unknown, size: Number(size) })
  })
}

/** Computes a rule tag in full, like a segment (within `COMPUTE_TIMEOUT_MS`, cancellable; interrupted, nothing is kept). */
export async function computeTag(ctx: AppContext, tagId: string): Promise<Result<true>> {
  return runComputation(ctx, `tag:${tagId}`, async (tx) => {
    const tag = await tx.selectFrom('tags').selectAll().where('id', '=', tagId).executeTakeFirst()
    if (!tag || tag.kind !== 'rule' || !tag.definition) return ok(true)
    await evaluateAudience(
      tx,
      { kind: 'tag', id: tag.id, workspaceId: tag.workspace_id, name: tag.name, definition: tag.definition as SegmentNode },
      { now: ctx.clock.now(), actor: 'tags' },
    )
    return ok(true)
  })
}

/** A profile's entries and exits of segments and tags, newest first (the last 500). */
export async function audienceHistory(
  ctx: AppContext,
  workspaceId: string,
  profileId: string,
): Promise<Result<{ items: AudienceChange[] }>> {
  const row = await ctx.db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', profileId)
    .executeTakeFirst()
  if (!row) return fail('PROFILE_NOT_FOUND')
  const id = row.merged_into ?? row.id
  const { rows } = await sql<{
    at: Date
    change: 'entered' | 'exited'
    segment_id: string | null
    tag_id: string | null
    name: string | null
    actor_label: string
  }>`
    SELECT c.at, c.change, c.segment_id, c.tag_id, coalesce(s.name, t.name) AS name, c.actor_label
    FROM membership_changes c LEFT JOIN segments s ON s.id = c.segment_id LEFT JOIN tags t ON t.id = c.tag_id
    WHERE c.workspace_id = ${workspaceId} AND (c.profile_id = ${id} OR c.profile_id IN (SELECT id FROM profiles WHERE merged_into = ${id}))
    ORDER BY c.at DESC, c.id DESC LIMIT 500`.execute(ctx.db)
  return ok({
    items: rows.map((r) => ({
      at: r.at.toISOString(),
      change: r.change,
      segmentId: r.segment_id,
      tagId: r.tag_id,
      name: r.name ?? '—',
      actor: r.actor_label,
    })),
  })
}
