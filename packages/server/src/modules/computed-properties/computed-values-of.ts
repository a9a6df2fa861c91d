import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

/** The profiles' computed property values by property name (what message templates read as `computed.*`). */
export async function computedValuesOf(
  db: Executor,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>()
  if (profileIds.length === 0) return out
  const rows = await db
    .selectFrom('computed_values as v')
    .innerJoin('computed_properties as p', 'p.id', 'v.computed_property_id')
    .select(['v.profile_id', 'p.name', 'v.value'])
    .where('v.workspace_id', '=', workspaceId)
    .where('v.profile_id', '=', sql<string>`ANY(${[...profileIds]}::uuid[])`)
    .execute()
  for (const r of rows) {
    const values = out.get(r.profile_id) ?? {}
    values[r.name] = r.value
    out.set(r.profile_id, values)
  }
  return out
}

/** The names of the workspace's computed properties. */
export async function computedPropertyNames(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db.selectFrom('computed_properties').select('name').where('workspace_id', '=', workspaceId).execute()
  return rows.map((r) => r.name)
}
