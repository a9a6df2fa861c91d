import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import {
  DEFAULT_MESSAGING_SETTINGS,
  DEFAULT_SUBSCRIPTION_GROUPS,
  type Channel,
  type ConsentState,
  type MessagingSettings,
  type SubscriptionPolicy,
} from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { messagingDb } from './messaging-schema.js'

/** A subscription group: consent for one kind of message on a channel. */
export interface SubscriptionGroupRecord {
  id: string
  key: string
  name: string
  channel: Channel
  policy: SubscriptionPolicy
  createdAt: Date
}

/** The workspace's groups, the defaults created on first use (one statement, safe when two callers race). */
export async function subscriptionGroups(db: Executor, workspaceId: string, now: Date): Promise<SubscriptionGroupRecord[]> {
  const mdb = messagingDb(db)
  const read = () =>
    mdb.selectFrom('subscription_groups').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('key').execute()
  let rows = await read()
  if (rows.length === 0) {
    const workspace = await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirst()
    await mdb
      .insertInto('subscription_groups')
      .values(
        DEFAULT_SUBSCRIPTION_GROUPS.map((g) => ({
          id: randomUUID(),
          workspace_id: workspaceId,
          key: g.key,
          name: workspace?.locale === 'zh-CN' ? g.nameZh : g.name,
          channel: g.channel,
          policy: g.policy,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .execute()
    rows = await read()
  }
  return rows.map((r) => ({ id: r.id, key: r.key, name: r.name, channel: r.channel as Channel, policy: r.policy, createdAt: r.created_at }))
}

export async function insertGroup(
  db: Executor,
  workspaceId: string,
  group: Omit<SubscriptionGroupRecord, 'id' | 'createdAt'>,
  now: Date,
): Promise<string> {
  const id = randomUUID()
  await messagingDb(db)
    .insertInto('subscription_groups')
    .values({
      id,
      workspace_id: workspaceId,
      key: group.key,
      name: group.name,
      channel: group.channel,
      policy: group.policy,
      created_at: now,
    })
    .execute()
  return id
}

export async function updateGroup(
  db: Executor,
  workspaceId: string,
  id: string,
  change: { name?: string; policy?: SubscriptionPolicy },
): Promise<boolean> {
  if (change.name === undefined && change.policy === undefined) return true
  const result = await messagingDb(db)
    .updateTable('subscription_groups')
    .set(change)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** A profile's recorded consent per group id. */
export async function consentsOf(
  db: Executor,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, Map<string, { state: ConsentState; source: string; changedAt: Date }>>> {
  const out = new Map<string, Map<string, { state: ConsentState; source: string; changedAt: Date }>>()
  if (profileIds.length === 0) return out
  const rows = await messagingDb(db)
    .selectFrom('subscriptions')
    .select(['profile_id', 'group_id', 'state', 'source', 'changed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', sql<string>`ANY(${[...profileIds]}::uuid[])`)
    .execute()
  for (const r of rows) {
    let byGroup = out.get(r.profile_id)
    if (!byGroup) out.set(r.profile_id, (byGroup = new Map()))
    byGroup.set(r.group_id, { state: r.state, source: r.source, changedAt: r.changed_at })
  }
  return out
}

/** Records consent changes (the latest by time wins, so a late-arriving older change does not undo a newer one). */
export async function setConsents(
  db: Executor,
  workspaceId: string,
  changes: ReadonlyArray<{ profileId: string; groupId: string; state: ConsentState; source: string; at: Date }>,
): Promise<void> {
  if (changes.length === 0) return
  await sql`
    INSERT INTO subscriptions AS s (workspace_id, group_id, profile_id, state, source, changed_at)
    SELECT ${workspaceId}::uuid, c.group_id, c.profile_id, c.state, c.source, c.changed_at
    FROM unnest(${changes.map((c) => c.groupId)}::uuid[], ${changes.map((c) => c.profileId)}::uuid[], ${changes.map((c) => c.state)}::text[],
                ${changes.map((c) => c.source)}::text[], ${changes.map((c) => c.at)}::timestamptz[]) AS c(group_id, profile_id, state, source, changed_at)
    ON CONFLICT (group_id, profile_id) DO UPDATE SET state = excluded.state, source = excluded.source, changed_at = excluded.changed_at
      WHERE s.changed_at <= excluded.changed_at`.execute(db)
}

/** Moves merged profiles' consent to the survivor, keeping the most recent change per group. */
export async function mergeConsents(db: Executor, workspaceId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  await sql`
    INSERT INTO subscriptions AS s (workspace_id, group_id, profile_id, state, source, changed_at)
    SELECT DISTINCT ON (group_id) workspace_id, group_id, ${survivorId}::uuid, state, source, changed_at FROM subscriptions
    WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...mergedIds]}::uuid[]) ORDER BY group_id, changed_at DESC
    ON CONFLICT (group_id, profile_id) DO UPDATE SET state = excluded.state, source = excluded.source, changed_at = excluded.changed_at
      WHERE s.changed_at < excluded.changed_at`.execute(db)
  await messagingDb(db)
    .deleteFrom('subscriptions')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', sql<string>`ANY(${[...mergedIds]}::uuid[])`)
    .execute()
}

export async function forgetConsents(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  await messagingDb(db)
    .deleteFrom('subscriptions')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', sql<string>`ANY(${[...profileIds]}::uuid[])`)
    .execute()
}

/** Which of the addresses are on the workspace's blocklist for the channel. */
export async function blockedAddresses(
  db: Executor,
  workspaceId: string,
  channel: string,
  addresses: readonly string[],
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set()
  const rows = await messagingDb(db)
    .selectFrom('blocklist')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', sql<string>`ANY(${[...addresses]}::text[])`)
    .execute()
  return new Set(rows.map((r) => r.address))
}

export async function blockAddress(
  db: Executor,
  workspaceId: string,
  channel: string,
  address: string,
  reason: string,
  now: Date,
): Promise<void> {
  await messagingDb(db)
    .insertInto('blocklist')
    .values({ workspace_id: workspaceId, channel, address, reason, created_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
    .execute()
}

export async function unblockAddress(db: Executor, workspaceId: string, channel: string, address: string): Promise<boolean> {
  const r = await messagingDb(db)
    .deleteFrom('blocklist')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function blocklistPage(
  db: Executor,
  workspaceId: string,
  limit: number,
): Promise<Array<{ channel: string; address: string; reason: string; createdAt: Date }>> {
  const rows = await messagingDb(db)
    .selectFrom('blocklist')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ channel: r.channel, address: r.address, reason: r.reason, createdAt: r.created_at }))
}

/** The workspace's quiet hours and caps (the defaults until someone changes them). */
export async function messagingSettings(db: Executor, workspaceId: string): Promise<MessagingSettings> {
  const row = await messagingDb(db)
    .selectFrom('messaging_settings')
    .select(['quiet_hours', 'caps'])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return DEFAULT_MESSAGING_SETTINGS
  return { quietHours: row.quiet_hours as MessagingSettings['quietHours'], caps: row.caps as MessagingSettings['caps'] }
}

export async function saveMessagingSettings(db: Executor, workspaceId: string, settings: MessagingSettings, now: Date): Promise<void> {
  const values = { quiet_hours: JSON.stringify(settings.quietHours), caps: JSON.stringify(settings.caps), updated_at: now }
  await messagingDb(db)
    .insertInto('messaging_settings')
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
    .execute()
}
