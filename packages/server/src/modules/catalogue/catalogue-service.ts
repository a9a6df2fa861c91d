import {
  ok,
  type CatalogueEvent,
  type CatalogueEventChange,
  type CatalogueProperty,
  type CataloguePropertyChange,
  type Result,
} from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { catalogueEvent, catalogueProperty, changeEvent, changeProperty, type PropertyScope } from './catalogue-repository.js'
import { forgetPlans } from './plan-cache.js'

/** What the audit log keeps of an event: what operators set, not the counts. */
const eventView = (e: CatalogueEvent | undefined) => e && { name: e.name, description: e.description, hidden: e.hidden, plan: e.plan }
const propertyView = (p: CatalogueProperty | undefined) =>
  p && { event: p.event, name: p.name, description: p.description, hidden: p.hidden, mark: p.mark }

/**
 * Describes or hides an event, or declares (or drops, with null) its tracking plan. The event need
 * not have been received: a plan is often declared before the first event is sent. Ingestion in
 * this process enforces a new plan at once, other processes within seconds.
 */
export async function updateCatalogueEvent(
  ctx: AppContext,
  scope: WorkspaceScope,
  change: CatalogueEventChange,
): Promise<Result<CatalogueEvent>> {
  const result = await transact(ctx.db, async (tx) => {
    const before = await catalogueEvent(tx, scope.workspaceId, change.name)
    const after = await changeEvent(tx, scope.workspaceId, change)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'catalogue.event.update',
      entityType: 'catalogue_event',
      entityId: change.name.slice(0, 200),
      before: eventView(before) ?? null,
      after: eventView(after),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(after)
  })
  if (result.ok && change.plan !== undefined) forgetPlans(ctx, scope.workspaceId)
  return result
}

/** Describes or hides a property of an event (a trait without `event`), or marks it money (fen) or a date. */
export async function updateCatalogueProperty(
  ctx: AppContext,
  scope: WorkspaceScope,
  change: CataloguePropertyChange,
): Promise<Result<CatalogueProperty>> {
  const { event, ...rest } = change
  const where: PropertyScope = event === undefined ? { kind: 'trait' } : { kind: 'property', event }
  return transact(ctx.db, async (tx) => {
    const before = await catalogueProperty(tx, scope.workspaceId, where, change.name)
    await changeProperty(tx, scope.workspaceId, where, rest)
    const after = (await catalogueProperty(tx, scope.workspaceId, where, change.name)) as CatalogueProperty
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'catalogue.property.update',
      entityType: event === undefined ? 'catalogue_trait' : 'catalogue_property',
      entityId: `${event === undefined ? '' : `${event.slice(0, 200)}:`}${change.name.slice(0, 200)}`,
      before: propertyView(before) ?? null,
      after: propertyView(after),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(after)
  })
}
