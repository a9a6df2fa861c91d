import { sql } from 'kysely'
import { DEFAULT_SUBSCRIPTION_GROUPS, type ConsentState, type SubscriptionPolicy } from '@reachloop/domain'
import type { ConsentKind } from '../audiences/index.js'
import { messagingDb } from './messaging-schema.js'

/** A default group's policy, for a workspace that has not used its groups yet (they are created on first use). */
const defaultPolicy = (key: string): SubscriptionPolicy | null => DEFAULT_SUBSCRIPTION_GROUPS.find((g) => g.key === key)?.policy ?? null

/**
 * Consent as segments read it (registered with the membership engine from module.ts): the SQL of
 * a `subscription` condition over `subscriptions` and `subscription_groups`, and the same facts for
 * the in-memory evaluator. A repository of this module's tables, like consent-repository.ts.
 */
export const consentKindOfModule: ConsentKind = {
  sql: ({ workspaceId, group, state, base }) => {
    const groupId = sql`(SELECT id FROM subscription_groups WHERE workspace_id = ${workspaceId} AND key = ${group}::text)`
    const policy = sql`coalesce((SELECT policy FROM subscription_groups WHERE workspace_id = ${workspaceId} AND key = ${group}::text), ${defaultPolicy(group)}::text)`
    const recorded = (s: ConsentState) =>
      sql`SELECT s.profile_id AS id FROM subscriptions s JOIN ${base} b ON b.id = s.profile_id WHERE s.group_id = ${groupId} AND s.state = ${s}::text`
    if (state !== 'subscribed') return recorded(state)
    // Reachable under the policy: one branch runs (the policy is a constant of the query), the
    // opt-out one as an anti-join of the workspace's profiles with the unsubscribed.
    return sql`(SELECT b.id FROM ${base} b WHERE ${policy} = 'opt_out'
        AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.group_id = ${groupId} AND s.profile_id = b.id AND s.state = 'unsubscribed'))
      UNION ALL (${recorded('opted_in')} AND ${policy} = 'opt_in')`
  },

  policies: async (db, workspaceId) => {
    const rows = await messagingDb(db)
      .selectFrom('subscription_groups')
      .select(['key', 'policy'])
      .where('workspace_id', '=', workspaceId)
      .execute()
    const policies = new Map(DEFAULT_SUBSCRIPTION_GROUPS.map((g) => [g.key, g.policy]))
    for (const r of rows) policies.set(r.key, r.policy)
    return policies
  },

  states: async (db, workspaceId, profileIds) => {
    const out = new Map<string, Map<string, ConsentState>>()
    if (profileIds.length === 0) return out
    const rows = await messagingDb(db)
      .selectFrom('subscriptions as s')
      .innerJoin('subscription_groups as g', 'g.id', 's.group_id')
      .select(['s.profile_id', 'g.key', 's.state'])
      .where('s.workspace_id', '=', workspaceId)
      .where('s.profile_id', '=', sql<string>`ANY(${[...profileIds]}::uuid[])`)
      .execute()
    for (const r of rows) {
      let byGroup = out.get(r.profile_id)
      if (!byGroup) out.set(r.profile_id, (byGroup = new Map()))
      byGroup.set(r.key, r.state)
    }
    return out
  },
}
