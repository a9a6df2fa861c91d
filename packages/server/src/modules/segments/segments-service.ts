import {
  changesWithTime,
  checkDefinition,
  conditionsOf,
  fail,
  normalizeIdentifier,
  ok,
  referencedSegments,
  roleCan,
  type MemberProfile,
  type NewSegment,
  type Result,
  type Segment,
  type SegmentChange,
  type SegmentComputation,
  type SegmentNode,
  type SegmentPreview,
  type StaticMembers,
} from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { Actor, WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact, type Executor } from '../../platform/db/database.js'
import type { SegmentsTable } from '../../platform/db/schema.js'
import { maskTraits } from '../profiles/pii-mask.js'
import { applyMembership, evaluateAudience, workspaceZone } from './membership.js'
import { compileSegment } from './segment-sql.js'
import { instantCursor } from '../../platform/db/page-cursor.js'
import { csvField } from '../../platform/http/csv-field.js'
import { boundedTransaction } from '../../platform/db/bounded-transaction.js'
import { cancelComputation, runComputation } from './running-computations.js'
import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

/** The job that computes a segment in full (after it is created or its definition changes). */
export const COMPUTE_SEGMENT_QUEUE = defineQueue('segments.compute', Type.Object({ segmentId: Type.String({ minLength: 1 }) }))

type SegmentRow = Selectable<SegmentsTable>

export const toSegment = (row: SegmentRow): Segment => ({
  id: row.id,
  name: row.name,
  description: row.description,
  kind: row.kind,
  definition: (row.definition as SegmentNode | null) ?? null,
  changesWithTime: row.changes_with_time,
  size: Number(row.size),
  computedAt: row.computed_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

const auditView = (s: Segment) => ({ name: s.name, description: s.description, kind: s.kind, definition: s.definition })

/**
 * Checks a definition against the workspace: the schema's rules, and that the tags, segments and
 * sources it names exist here and that segments do not refer to each other in a circle.
 */
export async function checkAgainstWorkspace(
  db: Executor,
  workspaceId: string,
  definition: SegmentNode,
  selfId: string | null,
): Promise<Result<true>> {
  const problems = checkDefinition(definition)
  if (problems.length > 0) return fail('INVALID_DEFINITION', undefined, { problems })
  const conditions = conditionsOf(definition)
  const tagIds = [...new Set(conditions.flatMap((c) => (c.kind === 'tag' ? [c.tagId] : [])))]
  if (tagIds.length > 0) {
    const found = await db.selectFrom('tags').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', tagIds).execute()
    if (found.length < tagIds.length)
      return fail('TAG_NOT_FOUND', undefined, { tagIds: tagIds.filter((id) => !found.some((f) => f.id === id)) })
  }
  const sourceIds = [...new Set(conditions.flatMap((c) => (c.kind === 'source' ? [c.sourceId] : [])))]
  if (sourceIds.length > 0) {
    const found = await db.selectFrom('sources').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', sourceIds).execute()
    if (found.length < sourceIds.length)
      return fail('SOURCE_NOT_FOUND', undefined, { sourceIds: sourceIds.filter((id) => !found.some((f) => f.id === id)) })
  }
  const propertyIds = [...new Set(conditions.flatMap((c) => (c.kind === 'computed' ? [c.propertyId] : [])))]
  if (propertyIds.length > 0) {
    const found = await db
      .selectFrom('computed_properties')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', propertyIds)
      .execute()
    if (found.length < propertyIds.length)
      return fail('COMPUTED_PROPERTY_NOT_FOUND', undefined, { propertyIds: propertyIds.filter((id) => !found.some((f) => f.id === id)) })
  }
  // Follow references through the workspace's segments: a path back to this one is a circle.
  const seen = new Set<string>()
  let frontier = referencedSegments(definition)
  while (frontier.length > 0) {
    if (selfId && frontier.includes(selfId)) return fail('SEGMENT_CYCLE')
    const rows = await db
      .selectFrom('segments')
      .select(['id', 'definition'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', frontier)
      .execute()
    if (rows.length < frontier.length && frontier.some((id) => !seen.has(id))) {
      const missing = frontier.filter((id) => !rows.some((r) => r.id === id))
      if (missing.length > 0) return fail('SEGMENT_NOT_FOUND', undefined, { segmentIds: missing })
    }
    for (const id of frontier) seen.add(id)
    frontier = [...new Set(rows.flatMap((r) => (r.definition ? referencedSegments(r.definition as SegmentNode) : [])))].filter(
      (id) => !seen.has(id) || id === selfId,
    )
  }
  return ok(true)
}

export async function listSegments(ctx: AppContext, workspaceId: string): Promise<Segment[]> {
  const rows = await ctx.db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute()
  return rows.map(toSegment)
}

export async function getSegment(ctx: AppContext, workspaceId: string, segmentId: string): Promise<Result<Segment>> {
  const row = await ctx.db
    .selectFrom('segments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', segmentId)
    .executeTakeFirst()
  return row ? ok(toSegment(row)) : fail('SEGMENT_NOT_FOUND')
}

const nameTaken = async (db: Executor, workspaceId: string, name: string, exceptId: string | null) => {
  const row = await db
    .selectFrom('segments')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst()
  return row !== undefined && row.id !== exceptId
}

/** Creates a segment. A dynamic one gets a job that computes its members. */
export async function createSegment(ctx: AppContext, scope: WorkspaceScope, input: NewSegment): Promise<Result<Segment>> {
  return transact(ctx.db, async (tx) => {
    if (input.kind === 'dynamic' && !input.definition)
      return fail('INVALID_DEFINITION', 'A dynamic segment needs a definition.', {
        problems: [{ path: 'definition', message: 'required for a dynamic segment' }],
      })
    if (input.kind === 'static' && input.definition)
      return fail('INVALID_DEFINITION', 'A static segment has no definition: put profiles in it by identifier.', {
        problems: [{ path: 'definition', message: 'not allowed for a static segment' }],
      })
    if (input.definition) {
      const checked = await checkAgainstWorkspace(tx, scope.workspaceId, input.definition, null)
      if (!checked.ok) return checked
    }
    if (await nameTaken(tx, scope.workspaceId, input.name, null)) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await tx
      .insertInto('segments')
      .values({
        id: crypto.randomUUID(),
        workspace_id: scope.workspaceId,
        name: input.name,
        description: input.description ?? '',
        kind: input.kind,
        definition: input.definition ? JSON.stringify(input.definition) : null,
        changes_with_time: input.definition ? changesWithTime(input.definition) : false,
        computed_at: input.kind === 'static' ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const segment = toSegment(row)
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
    const before = await tx
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', segmentId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return fail('SEGMENT_NOT_FOUND')
    if (change.definition && before.kind === 'static') return fail('WRONG_SEGMENT_KIND', 'A static segment has no definition.')
    if (change.definition) {
      const checked = await checkAgainstWorkspace(tx, scope.workspaceId, change.definition, segmentId)
      if (!checked.ok) return checked
    }
    if (change.name !== undefined && change.name !== before.name && (await nameTaken(tx, scope.workspaceId, change.name, segmentId)))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await tx
      .updateTable('segments')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.definition
          ? { definition: JSON.stringify(change.definition), changes_with_time: changesWithTime(change.definition) }
          : {}),
        updated_at: now,
      })
      .where('id', '=', segmentId)
      .returningAll()
      .executeTakeFirstOrThrow()
    // In the change's transaction, one per change: a key made of the time dropped a second change within the same millisecond.
    if (change.definition)
      await ctx.jobs.enqueue({ queue: COMPUTE_SEGMENT_QUEUE, workspaceId: scope.workspaceId, payload: { segmentId } }, tx)
    const segment = toSegment(row)
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

export async function deleteSegment(ctx: AppContext, scope: WorkspaceScope, segmentId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', segmentId)
      .executeTakeFirst()
    if (!row) return fail('SEGMENT_NOT_FOUND')
    const others = await tx
      .selectFrom('segments')
      .select(['id', 'name', 'definition'])
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '<>', segmentId)
      .execute()
    const users = others.filter((o) => o.definition && referencedSegments(o.definition as SegmentNode).includes(segmentId))
    if (users.length > 0) return fail('SEGMENT_IN_USE', undefined, { segments: users.map((u) => ({ id: u.id, name: u.name })) })
    await tx.deleteFrom('segments').where('id', '=', segmentId).execute()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.delete',
      entityType: 'segment',
      entityId: segmentId,
      before: auditView(toSegment(row)),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}

/** Profiles as member lists show them: phones and emails masked without `pii.read`. */
async function memberProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  rows: Array<{ id: string; entered_at?: Date }>,
): Promise<MemberProfile[]> {
  if (rows.length === 0) return []
  const profiles = await ctx.db
    .selectFrom('profiles')
    .select(['id', 'traits', 'last_seen_at'])
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  const byId = new Map(profiles.map((p) => [p.id, p]))
  const pii = roleCan(scope.role, 'pii.read')
  return rows.flatMap((r) => {
    const p = byId.get(r.id)
    if (!p) return []
    const traits = (p.traits ?? {}) as Record<string, unknown>
    return [
      {
        id: p.id,
        traits: pii ? traits : maskTraits(traits),
        lastSeenAt: p.last_seen_at.toISOString(),
        ...(r.entered_at ? { enteredAt: r.entered_at.toISOString() } : {}),
      },
    ]
  })
}

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
    const row = await tx
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', segmentId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return fail('SEGMENT_NOT_FOUND')
    if (row.kind !== 'dynamic' || !row.definition) return fail('WRONG_SEGMENT_KIND', 'Only a dynamic segment is computed.')
    const outcome = await evaluateAudience(
      tx,
      { kind: 'segment', id: row.id, workspaceId, name: row.name, definition: row.definition as SegmentNode },
      { now: ctx.clock.now(), actor },
    )
    const after = await tx.selectFrom('segments').select('size').where('id', '=', segmentId).executeTakeFirstOrThrow()
    const computation = { size: Number(after.size), ...outcome, tookMs: Math.round(performance.now() - started) }
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

/** Members, latest entries first, with a cursor. */
export async function listSegmentMembers(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<Result<{ items: MemberProfile[]; nextCursor: string | null }>> {
  const segment = await getSegment(ctx, scope.workspaceId, segmentId)
  if (!segment.ok) return segment
  const limit = query.limit ?? 50
  let q = ctx.db.selectFrom('segment_members').select(['profile_id', 'entered_at']).where('segment_id', '=', segmentId)
  const after = instantCursor(query.cursor, 'uuid')
  if (after) q = q.where(sql<boolean>`(entered_at, profile_id) < (${after.at}, ${after.id}::uuid)`)
  const rows = await q
    .orderBy('entered_at', 'desc')
    .orderBy('profile_id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return ok({
    items: await memberProfiles(
      ctx,
      scope,
      page.map((r) => ({ id: r.profile_id, entered_at: r.entered_at })),
    ),
    nextCursor: rows.length > limit && last ? `${last.entered_at.toISOString()}|${last.profile_id}` : null,
  })
}

/** Every member as CSV: profile id, entered at, name, phone, email, user id (masked without `pii.read`). */
export async function exportSegmentMembers(ctx: AppContext, scope: WorkspaceScope, segmentId: string): Promise<Result<string>> {
  const segment = await getSegment(ctx, scope.workspaceId, segmentId)
  if (!segment.ok) return segment
  const pii = roleCan(scope.role, 'pii.read')
  const lines = ['profile_id,entered_at,name,phone,email,user_id']
  let after: { at: Date; id: string } | undefined
  for (;;) {
    let q = ctx.db
      .selectFrom('segment_members as m')
      .innerJoin('profiles as p', 'p.id', 'm.profile_id')
      .select([
        'm.profile_id',
        'm.entered_at',
        'p.traits',
        sql<
          string | null
        >`(SELECT value FROM profile_identifiers pi WHERE pi.profile_id = m.profile_id AND pi.type = 'user_id' LIMIT 1)`.as('user_id'),
      ])
      .where('m.segment_id', '=', segmentId)
    if (after) q = q.where(sql<boolean>`(m.entered_at, m.profile_id) < (${after.at}, ${after.id}::uuid)`)
    const rows = await q.orderBy('m.entered_at', 'desc').orderBy('m.profile_id', 'desc').limit(5000).execute()
    for (const r of rows) {
      const raw = (r.traits ?? {}) as Record<string, unknown>
      const traits = pii ? raw : maskTraits(raw)
      lines.push([r.profile_id, r.entered_at.toISOString(), traits.name, traits.phone, traits.email, r.user_id].map(csvField).join(','))
    }
    const last = rows.at(-1)
    if (rows.length < 5000 || !last) break
    after = { at: last.entered_at, id: last.profile_id }
  }
  return ok(`${lines.join('\n')}\n`)
}

/** Puts profiles in a static segment by identifier: appended, or replacing the whole list. */
export async function setStaticMembers(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  input: StaticMembers,
): Promise<Result<{ size: number; entered: number; exited: number; unknown: number }>> {
  return transact(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', segmentId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return fail('SEGMENT_NOT_FOUND')
    if (row.kind !== 'static') return fail('WRONG_SEGMENT_KIND', 'Only a static segment takes a list of profiles.')
    const values = [...new Set(input.values.map((v) => normalizeIdentifier(input.identifierType, v) ?? v.trim()))]
    const now = ctx.clock.now()
    // Identifiers belong to live profiles (merges move them to the survivor).
    const found = sql`SELECT DISTINCT pi.profile_id AS id FROM profile_identifiers pi WHERE pi.workspace_id = ${scope.workspaceId} AND pi.type = ${input.identifierType} AND pi.value = ANY(${values}::text[])`
    const target =
      input.mode === 'append' ? sql`(${found}) UNION (SELECT profile_id FROM segment_members WHERE segment_id = ${segmentId})` : found
    const { rows: matched } = await sql<{
      n: number
    }>`SELECT count(DISTINCT pi.value)::int AS n FROM profile_identifiers pi WHERE pi.workspace_id = ${scope.workspaceId} AND pi.type = ${input.identifierType} AND pi.value = ANY(${values}::text[])`.execute(
      tx,
    )
    const outcome = await applyMembership(tx, { kind: 'segment', id: row.id, workspaceId: scope.workspaceId, name: row.name }, target, {
      now,
      actor: scope.actor.label,
    })
    const { size } = await tx
      .updateTable('segments')
      .set({ computed_at: now, updated_at: now })
      .where('id', '=', segmentId)
      .returning('size')
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('segment_sizes')
      .values({ segment_id: segmentId, at: now, size: Number(size) })
      .onConflict((oc) => oc.columns(['segment_id', 'at']).doUpdateSet({ size: Number(size) }))
      .execute()
    const result = { size: Number(size), ...outcome, unknown: values.length - (matched[0]?.n ?? 0) }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.members',
      entityType: 'segment',
      entityId: segmentId,
      after: { mode: input.mode, identifierType: input.identifierType, ...result },
      requestId: scope.requestId,
      at: now,
    })
    return ok(result)
  })
}

/** Size points over time and daily entries and exits (last 90 days), for the trend chart. */
export async function segmentSizes(
  ctx: AppContext,
  workspaceId: string,
  segmentId: string,
): Promise<Result<{ sizes: Array<{ at: string; size: number }>; changes: Array<{ day: string; entered: number; exited: number }> }>> {
  const segment = await getSegment(ctx, workspaceId, segmentId)
  if (!segment.ok) return segment
  const since = new Date(ctx.clock.now().getTime() - 90 * 86_400_000)
  const zone = await workspaceZone(ctx.db, workspaceId)
  const sizes = await ctx.db
    .selectFrom('segment_sizes')
    .select(['at', 'size'])
    .where('segment_id', '=', segmentId)
    .where('at', '>=', since)
    .orderBy('at')
    .execute()
  const { rows } = await sql<{ day: string; entered: number; exited: number }>`
    SELECT to_char(at AT TIME ZONE ${zone}, 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE change = 'entered')::int AS entered, count(*) FILTER (WHERE change = 'exited')::int AS exited
    FROM membership_changes WHERE segment_id = ${segmentId} AND at >= ${since} GROUP BY 1 ORDER BY 1`.execute(ctx.db)
  return ok({ sizes: sizes.map((s) => ({ at: s.at.toISOString(), size: Number(s.size) })), changes: rows })
}

/** The segments and tags a profile (or the one it was merged into) is in. */
export async function profileAudiences(ctx: AppContext, workspaceId: string, profileId: string) {
  const row = await ctx.db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', profileId)
    .executeTakeFirst()
  if (!row) return fail('PROFILE_NOT_FOUND')
  const id = row.merged_into ?? row.id
  const [segments, tags] = await Promise.all([
    ctx.db
      .selectFrom('segment_members as m')
      .innerJoin('segments as s', 's.id', 'm.segment_id')
      .select(['s.id', 's.name', 'm.entered_at'])
      .where('m.profile_id', '=', id)
      .where('s.workspace_id', '=', workspaceId)
      .orderBy('s.name')
      .execute(),
    ctx.db
      .selectFrom('profile_tags as pt')
      .innerJoin('tags as t', 't.id', 'pt.tag_id')
      .leftJoin('tag_groups as g', 'g.id', 't.group_id')
      .select(['t.id', 't.name', 'g.name as group', 'pt.added_at'])
      .where('pt.profile_id', '=', id)
      .where('t.workspace_id', '=', workspaceId)
      .orderBy('t.name')
      .execute(),
  ])
  return ok({
    segments: segments.map((s) => ({ id: s.id, name: s.name, enteredAt: s.entered_at.toISOString() })),
    tags: tags.map((t) => ({ id: t.id, name: t.name, group: t.group, addedAt: t.added_at.toISOString() })),
  })
}
