import {
  computedChangesWithTime,
  emptyComputedValue,
  type ComputedDefinition,
  type ComputedProperty,
  type NewComputedProperty,
  type RfmBands,
} from '@reachloop/domain'
import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { ComputedPropertiesTable } from '../../platform/db/schema.js'
import type { LogMark } from '../../platform/event-log/log-mark.js'
import type { EvaluableProperty, WorkspaceProperties } from '../audiences/index.js'

type Row = Selectable<ComputedPropertiesTable>

/** A property row with its JSON columns read as what they hold (the only place they are cast). */
export interface PropertyRecord {
  id: string
  workspaceId: string
  name: string
  description: string
  definition: ComputedDefinition
  emptyValue: unknown
  bands: RfmBands | null
  changesWithTime: boolean
  computedAt: Date | null
  computedSnapshot: LogMark | null
  createdAt: Date
  updatedAt: Date
}

const toRecord = (r: Row): PropertyRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  definition: r.definition as ComputedDefinition,
  emptyValue: r.empty_value,
  bands: (r.bands as RfmBands | null) ?? null,
  changesWithTime: r.changes_with_time,
  computedAt: r.computed_at,
  computedSnapshot: r.computed_snapshot,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** A property as upkeep needs it. */
export const toEvaluable = (p: PropertyRecord): EvaluableProperty => ({
  id: p.id,
  workspaceId: p.workspaceId,
  definition: p.definition,
  bands: p.bands,
})

/** A property as the API shows it, with how many profiles hold a stored value. */
export const toProperty = (p: PropertyRecord, profiles: number): ComputedProperty => ({
  id: p.id,
  name: p.name,
  description: p.description,
  definition: p.definition,
  changesWithTime: p.changesWithTime,
  profiles,
  computedAt: p.computedAt?.toISOString() ?? null,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
})

/** Properties of the workspace (or one of them), with how many profiles hold a stored value, by name. */
export async function propertiesWithCounts(
  db: Executor,
  workspaceId: string,
  id?: string,
): Promise<Array<{ property: PropertyRecord; profiles: number }>> {
  let q = db
    .selectFrom('computed_properties as cp')
    .selectAll('cp')
    .select(sql<number>`(SELECT count(*) FROM computed_values cv WHERE cv.computed_property_id = cp.id)`.as('profiles'))
    .where('cp.workspace_id', '=', workspaceId)
  if (id) q = q.where('cp.id', '=', id)
  const rows = await q.orderBy('cp.name').execute()
  return rows.map((r) => ({ property: toRecord(r), profiles: Number(r.profiles ?? 0) }))
}

/**
 * A property of the workspace, locked for the caller's transaction when asked — `FOR NO KEY UPDATE`,
 * which the values a computation is writing (whose foreign key holds `KEY SHARE`) do not hold up.
 */
export async function propertyRecord(
  db: Executor,
  workspaceId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PropertyRecord | undefined> {
  const q = db.selectFrom('computed_properties').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id)
  const row = await (options.forUpdate ? q.forNoKeyUpdate() : q).executeTakeFirst()
  return row && toRecord(row)
}

export async function propertyNameTaken(db: Executor, workspaceId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('computed_properties')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertProperty(db: Executor, workspaceId: string, input: NewComputedProperty, now: Date): Promise<PropertyRecord> {
  const row = await db
    .insertInto('computed_properties')
    .values({
      id: crypto.randomUUID(),
      workspace_id: workspaceId,
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
  return toRecord(row)
}

/** Changes the description or the definition (which forgets the RFM bands of the old one). */
export async function updateProperty(
  db: Executor,
  id: string,
  change: { description?: string | undefined; definition?: ComputedDefinition | undefined },
  now: Date,
): Promise<PropertyRecord> {
  const row = await db
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
  return toRecord(row)
}

export async function deleteProperty(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('computed_properties').where('id', '=', id).execute()
}

/** How many profiles hold a stored value of the property. */
export async function storedValueCount(db: Executor, id: string): Promise<number> {
  const { n } = await db
    .selectFrom('computed_values')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('computed_property_id', '=', id)
    .executeTakeFirstOrThrow()
  return Number(n)
}

/** Every property of a workspace, by id: those computed once, each one's event and empty value. */
export async function workspaceProperties(db: Executor, workspaceId: string): Promise<WorkspaceProperties> {
  const rows = (await db.selectFrom('computed_properties').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()).map(
    toRecord,
  )
  return {
    live: rows.filter((r) => r.computedAt !== null).map(toEvaluable),
    propertyEvents: new Map(rows.map((r) => [r.id, r.definition.event])),
    emptyValues: new Map(rows.map((r) => [r.id, r.emptyValue])),
  }
}

/** Properties whose full computation left a mark to catch up from. */
export async function pendingProperties(db: Executor): Promise<Array<{ property: EvaluableProperty; mark: LogMark }>> {
  const rows = await db.selectFrom('computed_properties').selectAll().where('computed_snapshot', 'is not', null).execute()
  return rows.map(toRecord).flatMap((p) => (p.computedSnapshot ? [{ property: toEvaluable(p), mark: p.computedSnapshot }] : []))
}

export async function clearPropertyMark(db: Executor, id: string, mark: LogMark): Promise<void> {
  await db
    .updateTable('computed_properties')
    .set({ computed_snapshot: null })
    .where('id', '=', id)
    .where('computed_snapshot', '=', mark)
    .execute()
}

/** Computed once, and whose values change with time alone. */
export async function propertiesChangingWithTime(db: Executor): Promise<EvaluableProperty[]> {
  const rows = await db
    .selectFrom('computed_properties')
    .selectAll()
    .where('changes_with_time', '=', true)
    .where('computed_at', 'is not', null)
    .execute()
  return rows.map((r) => toEvaluable(toRecord(r)))
}

export async function anyPropertyComputed(db: Executor): Promise<boolean> {
  return (
    (await db.selectFrom('computed_properties').select('id').where('computed_at', 'is not', null).limit(1).executeTakeFirst()) !== undefined
  )
}

export async function existingProperties(db: Executor, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('computed_properties')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...ids])
    .execute()
  return rows.map((r) => r.id)
}
