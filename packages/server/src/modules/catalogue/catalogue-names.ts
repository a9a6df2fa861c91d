import type { Executor } from '../../platform/db/database.js'
import { catalogueProperties } from './catalogue-repository.js'

/**
 * The names the catalogue has seen: the traits (`{ kind: 'trait' }`) or an event's properties,
 * hidden ones included (a template may still use them). Messaging checks template variables against them.
 */
export async function catalogueNames(
  db: Executor,
  workspaceId: string,
  scope: { kind: 'trait' } | { kind: 'property'; event: string },
): Promise<string[]> {
  const properties = await catalogueProperties(db, workspaceId, scope, { includeHidden: true })
  return properties.map((p) => p.name)
}
