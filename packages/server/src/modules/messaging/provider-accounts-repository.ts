import { sql } from 'kysely'
import type { Channel, ProviderKind } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { messagingDb } from './messaging-schema.js'
import type { AccessTokenCache } from './providers/provider-adapter.js'

/** A provider account as the pipeline uses it: its configuration with the secrets decrypted. */
export interface ProviderAccountRecord {
  id: string
  workspaceId: string
  kind: ProviderKind
  channel: Channel
  name: string
  /** The non-secret fields and, decrypted, the secret ones. */
  config: Record<string, unknown>
  /** The non-secret fields only (what the console may show). */
  publicConfig: Record<string, unknown>
  secretFields: string[]
  ratePerSecond: number | null
  isDefault: boolean
  callbackKey: string
  createdAt: Date
}

type Row = {
  id: string
  workspace_id: string
  kind: string
  channel: string
  name: string
  config: unknown
  secrets: string
  rate_per_second: number | null
  is_default: boolean
  callback_key: string
  created_at: Date
}

function toRecord(ctx: AppContext, row: Row): ProviderAccountRecord {
  const publicConfig = row.config as Record<string, unknown>
  const secrets = JSON.parse(ctx.secrets.decrypt(row.secrets)) as Record<string, unknown>
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind as ProviderKind,
    channel: row.channel as Channel,
    name: row.name,
    config: { ...publicConfig, ...secrets },
    publicConfig,
    secretFields: Object.keys(secrets),
    ratePerSecond: row.rate_per_second,
    isDefault: row.is_default,
    callbackKey: row.callback_key,
    createdAt: row.created_at,
  }
}

const COLUMNS = [
  'id',
  'workspace_id',
  'kind',
  'channel',
  'name',
  'config',
  'secrets',
  'rate_per_second',
  'is_default',
  'callback_key',
  'created_at',
] as const

export async function providerAccounts(ctx: AppContext, db: Executor, workspaceId: string): Promise<ProviderAccountRecord[]> {
  const rows = await messagingDb(db)
    .selectFrom('provider_accounts')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute()
  return rows.map((r) => toRecord(ctx, r))
}

export async function providerAccount(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<ProviderAccountRecord | undefined> {
  const row = await messagingDb(db)
    .selectFrom('provider_accounts')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toRecord(ctx, row)
}

/** The account a callback URL names. */
export async function providerAccountByCallbackKey(
  ctx: AppContext,
  db: Executor,
  callbackKey: string,
): Promise<ProviderAccountRecord | undefined> {
  const row = await messagingDb(db)
    .selectFrom('provider_accounts')
    .select(COLUMNS)
    .where('callback_key', '=', callbackKey)
    .executeTakeFirst()
  return row && toRecord(ctx, row)
}

/** The workspace's default account for a channel. */
export async function defaultAccount(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  channel: Channel,
): Promise<ProviderAccountRecord | undefined> {
  const row = await messagingDb(db)
    .selectFrom('provider_accounts')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .orderBy('is_default', 'desc')
    .orderBy('created_at')
    .executeTakeFirst()
  return row && toRecord(ctx, row)
}

export interface AccountWrite {
  kind: ProviderKind
  channel: Channel
  name: string
  publicConfig: Record<string, unknown>
  secrets: Record<string, unknown>
  ratePerSecond: number | null
  isDefault: boolean
}

export async function insertAccount(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  id: string,
  callbackKey: string,
  write: AccountWrite,
): Promise<void> {
  const now = ctx.clock.now()
  const mdb = messagingDb(db)
  if (write.isDefault) await clearDefault(db, workspaceId, write.channel)
  await mdb
    .insertInto('provider_accounts')
    .values({
      id,
      workspace_id: workspaceId,
      kind: write.kind,
      channel: write.channel,
      name: write.name,
      config: JSON.stringify(write.publicConfig),
      secrets: ctx.secrets.encrypt(JSON.stringify(write.secrets)),
      rate_per_second: write.ratePerSecond,
      is_default: write.isDefault,
      callback_key: callbackKey,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

export async function updateAccount(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  id: string,
  write: Omit<AccountWrite, 'kind' | 'channel'> & { channel: Channel },
): Promise<void> {
  if (write.isDefault) await clearDefault(db, workspaceId, write.channel)
  await messagingDb(db)
    .updateTable('provider_accounts')
    .set({
      name: write.name,
      config: JSON.stringify(write.publicConfig),
      secrets: ctx.secrets.encrypt(JSON.stringify(write.secrets)),
      rate_per_second: write.ratePerSecond,
      is_default: write.isDefault,
      updated_at: ctx.clock.now(),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

async function clearDefault(db: Executor, workspaceId: string, channel: Channel): Promise<void> {
  await messagingDb(db)
    .updateTable('provider_accounts')
    .set({ is_default: false })
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .execute()
}

export async function deleteAccount(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await messagingDb(db)
    .deleteFrom('provider_accounts')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * Takes up to `wanted` sends from the account's budget for the current second, shared by every
 * worker through one row per second: returns how many were granted (0 when the second is spent).
 * `tx` must be a transaction: the row stays locked until it commits, so two workers cannot both
 * take the last slots.
 */
export async function takeRate(tx: Executor, accountId: string, perSecond: number, wanted: number, now: Date): Promise<number> {
  const second = String(Math.floor(now.getTime() / 1000))
  const mdb = messagingDb(tx)
  await mdb
    .insertInto('provider_rate_windows')
    .values({ account_id: accountId, second, used: 0 })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const held = await mdb
    .selectFrom('provider_rate_windows')
    .select('used')
    .where('account_id', '=', accountId)
    .where('second', '=', second)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const granted = Math.max(0, Math.min(wanted, perSecond - held.used))
  if (granted > 0) {
    await mdb
      .updateTable('provider_rate_windows')
      .set({ used: held.used + granted })
      .where('account_id', '=', accountId)
      .where('second', '=', second)
      .execute()
  }
  return granted
}

/** Forgets rate windows older than a minute. */
export async function pruneRateWindows(db: Executor, now: Date): Promise<void> {
  await messagingDb(db)
    .deleteFrom('provider_rate_windows')
    .where('second', '<', String(Math.floor(now.getTime() / 1000) - 60))
    .execute()
}

/**
 * Access tokens kept in the database, so every process shares one (DESIGN: several workers, one
 * WeChat token). A fetch happens under a transaction-scoped advisory lock on the key, so
 * processes asking together wait for one fetch instead of invalidating each other's tokens.
 */
export function databaseTokenCache(ctx: AppContext, accountId: string): AccessTokenCache {
  const db = messagingDb(ctx.db)
  return {
    async get(key, fetchToken) {
      const now = ctx.clock.now()
      const held = await db.selectFrom('provider_tokens').select(['token', 'expires_at']).where('key', '=', key).executeTakeFirst()
      if (held && held.expires_at > now) return ctx.secrets.decrypt(held.token)
      return ctx.db.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`provider-token:${key}`}))`.execute(tx)
        const again = await messagingDb(tx)
          .selectFrom('provider_tokens')
          .select(['token', 'expires_at'])
          .where('key', '=', key)
          .executeTakeFirst()
        if (again && again.expires_at > ctx.clock.now()) return ctx.secrets.decrypt(again.token)
        const fresh = await fetchToken()
        // Renewed a minute before the provider's expiry, so a token is never used in its last seconds.
        const expiresAt = new Date(ctx.clock.now().getTime() + Math.max(0, fresh.expiresInMs - 60_000))
        const token = ctx.secrets.encrypt(fresh.token)
        await messagingDb(tx)
          .insertInto('provider_tokens')
          .values({ key, account_id: accountId, token, expires_at: expiresAt })
          .onConflict((oc) => oc.column('key').doUpdateSet({ token, expires_at: expiresAt }))
          .execute()
        return fresh.token
      })
    },
    async invalidate(key, token) {
      const held = await db.selectFrom('provider_tokens').select('token').where('key', '=', key).executeTakeFirst()
      if (held && ctx.secrets.decrypt(held.token) === token) await db.deleteFrom('provider_tokens').where('key', '=', key).execute()
    },
  }
}
