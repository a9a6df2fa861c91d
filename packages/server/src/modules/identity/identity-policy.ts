import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'

/** The workspace's identity rules: the defaults, overridden and extended by its own rows. */
export async function loadIdentityPolicy(db: Executor, workspaceId: string): Promise<IdentityPolicy> {
  const rows = await db.selectFrom('identifier_types').selectAll().where('workspace_id', '=', workspaceId).execute()
  if (rows.length === 0) return DEFAULT_IDENTITY_POLICY
  const policy: Record<string, IdentityPolicy[string]> = { ...DEFAULT_IDENTITY_POLICY }
  for (const r of rows) policy[r.type] = { priority: r.priority, maxPerProfile: r.max_per_profile, blockedValues: r.blocked_values }
  return policy
}
