import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'

/** A workspace's rule for one identifier type, as `identifier_types` keeps it. */
export interface IdentifierTypeRecord {
  type: string
  priority: number
  maxPerProfile: number
  blockedValues: string[]
}

/** The workspace's identity rules: the defaults, overridden and extended by its own rows. */
export async function loadIdentityPolicy(db: Executor, workspaceId: string): Promise<IdentityPolicy> {
  const rows = await db.selectFrom('identifier_types').selectAll().where('workspace_id', '=', workspaceId).execute()
  if (rows.length === 0) return DEFAULT_IDENTITY_POLICY
  const policy: Record<string, IdentityPolicy[string]> = { ...DEFAULT_IDENTITY_POLICY }
  for (const r of rows) policy[r.type] = { priority: r.priority, maxPerProfile: r.max_per_profile, blockedValues: r.blocked_values }
  return policy
}

/** Sets the rule of a type (a new name adds a custom type). */
export async function saveIdentifierType(db: Executor, workspaceId: string, rule: IdentifierTypeRecord): Promise<void> {
  const columns = { priority: rule.priority, max_per_profile: rule.maxPerProfile, blocked_values: rule.blockedValues }
  await db
    .insertInto('identifier_types')
    .values({ workspace_id: workspaceId, type: rule.type, ...columns })
    .onConflict((oc) => oc.columns(['workspace_id', 'type']).doUpdateSet(columns))
    .execute()
}
