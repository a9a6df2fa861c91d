import {
  checkComputedDefinition,
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
} from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import type { Actor, WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { audiencesUsing, cancelComputation, definitionsUsing, evaluateAudience, runComputation } from '../audiences/index.js'
import { survivorOf } from '../identity/index.js'
import {
  deleteProperty,
  insertProperty,
  propertiesWithCounts,
  propertyNameTaken,
  propertyRecord,
  storedValueCount,
  toEvaluable,
  toProperty,
  updateProperty,
} from './computed-properties-repository.js'
import { computeValues, labelCounts, numericBuckets, numericRange, profileValues } from './computed-values-repository.js'

/** The job that computes a property in full (after it is created or its definition changes). */
export const COMPUTE_PROPERTY_QUEUE = defineQueue('computed-properties.compute', Type.Object({ propertyId: Type.String({ minLength: 1 }) }))

const auditView = (p: ComputedProperty) => ({ name: p.name, description: p.description, definition: p.definition })

export async function listComputedProperties(ctx: AppContext, workspaceId: string): Promise<ComputedProperty[]> {
  return (await propertiesWithCounts(ctx.db, workspaceId)).map((r) => toProperty(r.property, r.profiles))
}

export async function getComputedProperty(ctx: AppContext, workspaceId: string, id: string): Promise<Result<ComputedProperty>> {
  const [row] = await propertiesWithCounts(ctx.db, workspaceId, id)
  return row ? ok(toProperty(row.property, row.profiles)) : fail('COMPUTED_PROPERTY_NOT_FOUND')
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
    if (await propertyNameTaken(tx, scope.workspaceId, input.name)) return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const now = ctx.clock.now()
    const row = await insertProperty(tx, scope.workspaceId, input, now)
    const property = toProperty(row, 0)
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
    const before = await propertyRecord(tx, scope.workspaceId, id, { forUpdate: true })
    if (!before) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const now = ctx.clock.now()
    const row = await updateProperty(tx, id, change, now)
    if (change.definition)
      await ctx.jobs.enqueue({ queue: COMPUTE_PROPERTY_QUEUE, workspaceId: scope.workspaceId, payload: { propertyId: id } }, tx)
    const property = toProperty(row, 0)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'computed_property.update',
      entityType: 'computed_property',
      entityId: id,
      before: auditView(toProperty(before, 0)),
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
    const row = await propertyRecord(tx, scope.workspaceId, id)
    if (!row) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const users = await definitionsUsing(tx, scope.workspaceId, (d) => referencedComputedProperties(d).includes(id))
    if (users.length > 0)
      return fail('COMPUTED_PROPERTY_IN_USE', undefined, { usedBy: users.map((u) => ({ kind: u.kind, id: u.id, name: u.name })) })
    await deleteProperty(tx, id)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'computed_property.delete',
      entityType: 'computed_property',
      entityId: id,
      before: auditView(toProperty(row, 0)),
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
    const row = await propertyRecord(tx, workspaceId, id)
    if (!row) return fail('COMPUTED_PROPERTY_NOT_FOUND')
    const now = ctx.clock.now()
    const outcome = await computeValues(tx, toEvaluable(row), { now })
    const profiles = await storedValueCount(tx, id)
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
        after: { profiles, changed: outcome.changed },
        requestId: by.requestId,
        at: now,
      })
    return ok({ profiles, changed: outcome.changed, tookMs: Math.round(performance.now() - started) })
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
  if (!(await propertyRecord(ctx.db, scope.workspaceId, id))) return fail('COMPUTED_PROPERTY_NOT_FOUND')
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
  const { lo, hi } = await numericRange(ctx.db, id)
  let buckets: ComputedDistribution['buckets'] = []
  if (lo !== null && hi !== null) {
    const width = hi > lo ? (hi - lo) / 10 : 1
    const rows = await numericBuckets(ctx.db, id, lo, width)
    buckets = Array.from({ length: hi > lo ? 10 : 1 }, (_, b) => ({
      from: lo + b * width,
      to: hi > lo ? lo + (b + 1) * width : hi,
      profiles: rows.find((r) => r.b === b)?.n ?? 0,
    }))
  }
  const groups = await labelCounts(ctx.db, id, property.value.definition.kind === 'rfm')
  return ok({ profiles: property.value.profiles, buckets, groups: groups.map((g) => ({ value: g.value, profiles: g.n })) })
}

/** A profile's value of every property (the empty value where it has none stored). */
export async function profileComputedValues(
  ctx: AppContext,
  workspaceId: string,
  profileId: string,
): Promise<Result<{ items: ProfileComputedValue[] }>> {
  const survivor = await survivorOf(ctx.db, workspaceId, profileId)
  if (!survivor) return fail('PROFILE_NOT_FOUND')
  const rows = await profileValues(ctx.db, workspaceId, survivor)
  return ok({
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      value: r.value ?? (r.computedAt ? r.emptyValue : null),
      updatedAt: r.updatedAt?.toISOString() ?? r.computedAt?.toISOString() ?? null,
    })),
  })
}
