import {
  checkComputedDefinition,
  computedChangesWithTime,
  emptyComputedValue,
  fail,
  ok,
  referencedComputedProperties,
  type ComputedComputation,
  type ComputedDefinition,
  type ComputedDistribution,
  type ComputedProperty,
  type ComputedPropertyChange,
  type NewComputedProperty,
  type ProfileComputedValue,
  type Result,
  type SegmentNode,
} from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { Actor, WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import type { ComputedPropertiesTable } from '../../platform/db/schema.js'
import { computeValues, toEvaluableProperty } from './computed-values.js'
import { evaluateAudience } from './membership.js'
import { audiencesUsing } from './segment-consumer.js'
import { cancelComputation, runComputation } from './running-computations.js'
import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

/** The job that computes a property in full (after it is created or its definition changes). */
export const COMPUTE_PROPERTY_QUEUE = defineQueue('computed-properties.compute', Type.Object({ propertyId: Type.String({ minLength: 1 }) }))

type Row = Selectable<ComputedPropertiesTable> & { profiles?: number | string | null }

const toProperty = (row: Row): ComputedProperty => ({
  id: row.id,
  name: row.name,
  description: row.description,
  definition: row.definition as ComputedDefinition,
  changesWithTime: row.changes_with_time,
  profiles: Number(row.profiles ?? 0),
  computedAt: row.computed_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

const auditView = (p: ComputedProperty) => ({ name: p.name, description: p.description, definition: p.definition })

/** Properties with how many profiles hold a stored value. */
const withCounts = (ctx: AppContext, workspaceId: string) =>
  ctx.db
    .selectFrom('computed_properties as cp')
    .selectAll('cp')
    .select(sql<number>`(SELECT count(*) FROM computed_values cv WHERE cv.computed_property_id = cp.id)`.as('profiles'))
    .where('cp.workspace_id', '=', workspaceId)

export async function listComputedProperties(ctx: AppContext, workspaceId: string): Promise<ComputedProperty[]> {
  return (await withCounts(ctx, workspaceId).orderBy('cp.name').execute()).map(toProperty)
}

export async function getComputedProperty(ctx: AppContext, workspaceId: string, id: string): Promise<Result<ComputedProperty>> {
  const row = await withCounts(ctx, workspaceId).where('cp.id', '=', id).executeTakeFirst()
  return row ? ok(toProperty(row)) : fail('COMPUTED_PROPERTY_NOT_FOUND')
}

const checked = (definition: ComputedDefinition) => {
  const problems = checkComputedDefinition(definition).map((p) => ({ path: `definition.${p.path}`, message: p.message }))
  return problems.length > 0 ? fail('INVALID_DEFINITION', undefined, { problems }) : null
}

/** Creates a computed property; a job computes it for every profile. */
export async function createComputedProperty(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: NewComputedProperty,
): Promise<Result<ComputedProperty>> {
  const problem = checked(input.definition)
  if (problem) return problem
  return transact(ctx.db, async (tx) => {
    if (
      await tx
        .selectFrom('computed_properties')
        .select('id')
        .where('workspace_id', '=', scope.workspaceId)
        .where('name', '=', input.name)
        .executeTakeFirst()
    )
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await tx
      .insertInto('computed_properties')
      .values({
        id: crypto.randomUUID(),
        workspace_id: scope.workspaceId,
        name: input.name,
        description: input.description ?? '',
        definition: JSON.stringify(input.definition),
        empty_value: JSON.stringify(emptyComputedValue(input.definition)),
        changes_with_time: computedChangesWithTime(input.definition),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const property = toProperty(row)
    await ctx.jobs.enqueue({ queue: COMPUTE_PROPERTY_QUEUE, workspaceId: scope.workspaceId, payload: { propertyId: row.id } }, tx)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'computed_property.create',
      entityType: 'computed_property',
      entityId: row.id,
      after: auditView(property),
      requestId: scope.requestId,
      at: now,
    })
    return ok(property)
  })
}

/** Changes the description or the definition; a new definition is computed again by a job. */
export async function updateComputedProperty(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  change: ComputedPropertyChange,
): Promise<Result<ComputedProperty>> {
  const problem = change.definition ? checked(change.definition) : null
  if (problem) return problem
  return transact(ctx.db, async (tx) => {
    const before = await tx
      .selectFrom('computed_properties')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const now = ctx.clock.now()
    const row = await tx
      .updateTable('computed_properties')
      .set({
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.definition
          ? {
              definition: JSON.stringify(change.definition),
              empty_value: JSON.stringify(emptyComputedValue(change.definition)),
              changes_with_time: computedChangesWithTime(change.definition),
              bands: null,
            }
          : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (change.definition)
      await ctx.jobs.enqueue({ queue: COMPUTE_PROPERTY_QUEUE, workspaceId: scope.workspaceId, payload: { propertyId: id } }, tx)
    const property = toProperty(row)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'computed_property.update',
      entityType: 'computed_property',
      entityId: id,
      before: auditView(toProperty(before)),
      after: auditView(property),
      requestId: scope.requestId,
      at: now,
    })
    return ok(property)
  })
}

/** Deletes a property and its values; refused while a segment or rule tag uses it. */
export async function deleteComputedProperty(ctx: AppContext, scope: WorkspaceScope, id: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('computed_properties')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const [segments, tags] = await Promise.all([
      tx
        .selectFrom('segments')
        .select(['id', 'name', 'definition'])
        .where('workspace_id', '=', scope.workspaceId)
        .where('definition', 'is not', null)
        .execute(),
      tx
        .selectFrom('tags')
        .select(['id', 'name', 'definition'])
        .where('workspace_id', '=', scope.workspaceId)
        .where('definition', 'is not', null)
        .execute(),
    ])
    const uses = (r: { definition: unknown }) => referencedComputedProperties(r.definition as SegmentNode).includes(id)
    const users = [
      ...segments.filter(uses).map((s) => ({ kind: 'segment', id: s.id, name: s.name })),
      ...tags.filter(uses).map((t) => ({ kind: 'tag', id: t.id, name: t.name })),
    ]
    if (users.length > 0) return fail('COMPUTED_PROPERTY_IN_USE', undefined, { usedBy: users })
    await tx.deleteFrom('computed_properties').where('id', '=', id).execute()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'computed_property.delete',
      entityType: 'computed_property',
      entityId: id,
      before: auditView(toProperty(row)),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}

/**
 * Computes a property for every profile now, then re-evaluates in full the live segments and rule
 * tags using it when values changed, all in one transaction within `COMPUTE_TIMEOUT_MS` that can be
 * cancelled (`cancelComputedPropertyComputation`): interrupted, nothing is kept. Asked for through
 * the API, the computation is audited.
 */
export async function computeComputedProperty(
  ctx: AppContext,
  workspaceId: string,
  id: string,
  by: { actor: Actor; requestId: string | null } | 'job',
): Promise<Result<ComputedComputation>> {
  const started = performance.now()
  return runComputation(ctx, `computed_property:${id}`, async (tx) => {
    const row = await tx
      .selectFrom('computed_properties')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const now = ctx.clock.now()
    const outcome = await computeValues(tx, toEvaluableProperty(row), { now })
    const { n } = await tx
      .selectFrom('computed_values')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('computed_property_id', '=', id)
      .executeTakeFirstOrThrow()
    if (outcome.changed > 0) {
      for (const audience of await audiencesUsing(tx, workspaceId, [id])) await evaluateAudience(tx, audience, { now, actor: 'segments' })
    }
    if (by !== 'job')
      await recordAudit(tx, {
        workspaceId,
        actor: by.actor,
        action: 'computed_property.compute',
        entityType: 'computed_property',
        entityId: id,
        after: { profiles: Number(n), changed: outcome.changed },
        requestId: by.requestId,
        at: now,
      })
    return ok({ profiles: Number(n), changed: outcome.changed, tookMs: Math.round(performance.now() - started) })
  })
}

/**
 * Cancels the full computation of a property running in this process (asked for or a job); it rolls
 * back, answering `COMPUTATION_CANCELLED`. Answers whether one was running; audited either way.
 */
export async function cancelComputedPropertyComputation(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
): Promise<Result<{ cancelled: boolean }>> {
  const property = await ctx.db
    .selectFrom('computed_properties')
    .select('id')
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!property) return fail('COMPUTED_PROPERTY_NOT_FOUND')
  const cancelled = await cancelComputation(`computed_property:${id}`)
  await recordAudit(ctx.db, {
    workspaceId: scope.workspaceId,
    actor: scope.actor,
    action: 'computed_property.compute_cancel',
    entityType: 'computed_property',
    entityId: id,
    after: { cancelled },
    requestId: scope.requestId,
    at: ctx.clock.now(),
  })
  return ok({ cancelled })
}

/** How values spread: ten buckets for numbers, profiles per value (RFM group) otherwise. */
export async function computedDistribution(ctx: AppContext, workspaceId: string, id: string): Promise<Result<ComputedDistribution>> {
  const property = await getComputedProperty(ctx, workspaceId, id)
  if (!property.ok) return property
  const { rows: numbers } = await sql<{ lo: number | null; hi: number | null }>`
    SELECT min(rl_num(value)) AS lo, max(rl_num(value)) AS hi FROM computed_values WHERE computed_property_id = ${id}`.execute(ctx.db)
  const lo = numbers[0]?.lo ?? null
  const hi = numbers[0]?.hi ?? null
  let buckets: ComputedDistribution['buckets'] = []
  if (lo !== null && hi !== null) {
    const width = hi > lo ? (hi - lo) / 10 : 1
    const { rows } = await sql<{ b: number; n: number }>`
      SELECT least(floor((rl_num(value) - ${lo}::double precision) / ${width}::double precision), 9)::int AS b, count(*)::int AS n
      FROM computed_values WHERE computed_property_id = ${id} AND rl_num(value) IS NOT NULL GROUP BY 1 ORDER BY 1`.execute(ctx.db)
    buckets = Array.from({ length: hi > lo ? 10 : 1 }, (_, b) => ({
      from: lo + b * width,
      to: hi > lo ? lo + (b + 1) * width : hi,
      profiles: rows.find((r) => r.b === b)?.n ?? 0,
    }))
  }
  const label =
    property.value.definition.kind === 'rfm'
      ? sql`value ->> 'group'`
      : sql`CASE WHEN jsonb_typeof(value) = 'string' THEN value #>> '{}' END`
  const { rows: groups } = await sql<{ value: string; n: number }>`
    SELECT ${label} AS value, count(*)::int AS n FROM computed_values WHERE computed_property_id = ${id} AND ${label} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`.execute(
    ctx.db,
  )
  return ok({ profiles: property.value.profiles, buckets, groups: groups.map((g) => ({ value: g.value, profiles: g.n })) })
}

/** A profile's value of every property (the empty value where it has none stored). */
export async function profileComputedValues(
  ctx: AppContext,
  workspaceId: string,
  profileId: string,
): Promise<Result<{ items: ProfileComputedValue[] }>> {
  const row = await ctx.db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', profileId)
    .executeTakeFirst()
  if (!row) return fail('PROFILE_NOT_FOUND')
  const rows = await ctx.db
    .selectFrom('computed_properties as cp')
    .leftJoin('computed_values as cv', (join) =>
      join.onRef('cv.computed_property_id', '=', 'cp.id').on('cv.profile_id', '=', row.merged_into ?? row.id),
    )
    .select(['cp.id', 'cp.name', 'cp.definition', 'cp.empty_value', 'cp.computed_at', 'cv.value', 'cv.updated_at'])
    .where('cp.workspace_id', '=', workspaceId)
    .orderBy('cp.name')
    .execute()
  return ok({
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: (r.definition as ComputedDefinition).kind,
      value: r.value ?? (r.computed_at ? r.empty_value : null),
      updatedAt: r.updated_at?.toISOString() ?? r.computed_at?.toISOString() ?? null,
    })),
  })
}
