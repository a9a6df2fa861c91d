import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'

// The messaging module's tables (messaging-migrations.ts), typed for its own repositories only.
type Timestamp = ColumnType<Date, Date, Date>
type Json = ColumnType<unknown, string, string>

// A type alias (not an interface): Kysely's withTables wants an index-compatible record.
export type MessagingTables = {
  provider_accounts: {
    id: string
    workspace_id: string
    kind: string
    channel: string
    name: string
    config: Json
    secrets: string
    rate_per_second: number | null
    is_default: Generated<boolean>
    callback_key: string
    created_at: Timestamp
    updated_at: Timestamp
  }
  provider_tokens: { key: string; account_id: string; token: string; expires_at: Timestamp }
  provider_rate_windows: { account_id: string; second: string; used: number }
  subscription_groups: {
    id: string
    workspace_id: string
    key: string
    name: string
    channel: string
    policy: 'opt_in' | 'opt_out'
    created_at: Timestamp
  }
  subscriptions: {
    workspace_id: string
    group_id: string
    profile_id: string
    state: 'opted_in' | 'unsubscribed'
    source: string
    changed_at: Timestamp
  }
  blocklist: { workspace_id: string; channel: string; address: string; reason: string; created_at: Timestamp }
  message_templates: {
    id: string
    workspace_id: string
    name: string
    channel: string
    category: 'marketing' | 'transactional'
    subscription_group_id: string | null
    provider_account_id: string | null
    fallback_template_id: string | null
    draft: Json
    published: Json | null
    published_at: Timestamp | null
    created_at: Timestamp
    updated_at: Timestamp
  }
  messaging_settings: { workspace_id: string; quiet_hours: Json; caps: Json; updated_at: Timestamp }
  broadcasts: {
    id: string
    workspace_id: string
    name: string
    template_id: string
    segment_id: string
    schedule: Json
    local_time: boolean
    holdout_percent: number
    rate_per_minute: number | null
    state: string
    next_run_at: Timestamp | null
    created_at: Timestamp
    updated_at: Timestamp
  }
  broadcast_runs: {
    id: string
    broadcast_id: string
    workspace_id: string
    state: string
    scheduled_for: Timestamp
    started_at: Timestamp | null
    finished_at: Timestamp | null
    audience_size: Generated<number>
    holdout_size: Generated<number>
  }
  broadcast_holdouts: { run_id: string; profile_id: string }
  messages: {
    id: string
    workspace_id: string
    profile_id: string | null
    channel: string
    category: string
    template_id: string | null
    provider_account_id: string | null
    run_id: string | null
    idempotency_key: string
    test: Generated<boolean>
    address: string | null
    variables: Json
    content: Json | null
    status: string
    reason: string | null
    provider_message_id: string | null
    provider_response: Json | null
    attempts: Generated<number>
    not_before: Timestamp
    queued_at: Timestamp
    sending_at: Timestamp | null
    sent_at: Timestamp | null
    delivered_at: Timestamp | null
    failed_at: Timestamp | null
    suppressed_at: Timestamp | null
    opened_at: Timestamp | null
    clicked_at: Timestamp | null
    updated_at: Timestamp
  }
  message_attempts: {
    id: Generated<string>
    message_id: string
    attempt: number
    at: Timestamp
    outcome: string
    code: string | null
    detail: string | null
    response: Json | null
  }
}

export const MESSAGING_TABLES = [
  'provider_accounts',
  'provider_tokens',
  'provider_rate_windows',
  'subscription_groups',
  'subscriptions',
  'blocklist',
  'message_templates',
  'messaging_settings',
  'broadcasts',
  'broadcast_runs',
  'broadcast_holdouts',
  'messages',
  'message_attempts',
] as const satisfies ReadonlyArray<keyof MessagingTables>

export type MessagingDb = Kysely<DB & MessagingTables> | Transaction<DB & MessagingTables>

/** The database (or the caller's transaction) seen with the messaging tables. */
export function messagingDb(db: Kysely<DB> | Transaction<DB>): MessagingDb {
  return db.withTables<MessagingTables>()
}
