import type { ColumnType, Generated } from 'kysely'
import type { LogMark } from '../event-log/log-mark.js'

/** A timestamptz column: read as Date, written as Date. */
type Timestamp = ColumnType<Date, Date, Date>
type Json = ColumnType<unknown, string, string>

export interface WorkspacesTable {
  id: string
  name: string
  time_zone: Generated<string>
  currency: Generated<string>
  locale: Generated<string>
  created_at: Timestamp
}

export interface UsersTable {
  id: string
  email: string
  name: string
  password_hash: string | null
  created_at: Timestamp
  last_login_at: Timestamp | null
}

export interface MembershipsTable {
  workspace_id: string
  user_id: string
  role: string
  disabled: Generated<boolean>
  created_at: Timestamp
}

export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: Timestamp
  expires_at: Timestamp
}

export interface ApiTokensTable {
  id: string
  workspace_id: string
  name: string
  role: string
  token_hash: string
  prefix: string
  created_by: string
  created_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface LoginAttemptsTable {
  email: string
  failures: number
  locked_until: Timestamp | null
  updated_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<number>
  workspace_id: string
  actor_kind: string
  actor_id: string | null
  actor_label: string
  action: string
  entity_type: string
  entity_id: string | null
  before: Json | null
  after: Json | null
  request_id: string | null
  at: Timestamp
}

export interface JobsTable {
  id: Generated<number>
  workspace_id: string | null
  queue: string
  payload: Json
  state: Generated<string>
  run_at: Timestamp
  attempts: Generated<number>
  max_attempts: Generated<number>
  lease_expires_at: Timestamp | null
  locked_by: string | null
  idempotency_key: string | null
  last_error: string | null
  created_at: Timestamp
  updated_at: Timestamp
  finished_at: Timestamp | null
}

export interface SourcesTable {
  id: string
  workspace_id: string
  name: string
  kind: string
  write_key_hash: string
  write_key_ciphertext: string
  created_at: Timestamp
  rotated_at: Timestamp | null
  webhook_secret_ciphertext: Generated<string | null>
  webhook_kind: Generated<string | null>
  webhook_mapping: ColumnType<unknown, string | null | undefined, string | null>
  /** JSON array of origins allowed to send from a browser; NULL allows any. */
  allowed_origins: ColumnType<string[] | null, string | null | undefined, string | null>
}

export interface ProfilesTable {
  id: string
  workspace_id: string
  traits: Json
  trait_times: Json
  first_seen_at: Timestamp
  last_seen_at: Timestamp
  created_at: Timestamp
  updated_at: Timestamp
  merged_into: string | null
}

export interface ProfileIdentifiersTable {
  workspace_id: string
  type: string
  value: string
  profile_id: string
  first_seen_at: Timestamp
}

export interface EventsTable {
  id: Generated<number>
  workspace_id: string
  source_id: string | null
  profile_id: string
  message_id: string
  type: string
  name: string | null
  properties: Json
  traits: Json
  context: Json
  user_id: string | null
  anonymous_id: string | null
  timestamp: Timestamp
  sent_at: Timestamp | null
  received_at: Timestamp
  /** The appending transaction (xid8, as text): with `id`, the commit-ordered log position. */
  tx_id: Generated<string>
}

export interface LogConsumersTable {
  name: string
  done_snapshot: Generated<string>
  target_snapshot: string | null
  cursor_tx: Generated<string>
  cursor_id: Generated<number>
  processed: Generated<number>
  updated_at: Timestamp
}

export interface TagGroupsTable {
  id: string
  workspace_id: string
  name: string
  exclusive: Generated<boolean>
  created_at: Timestamp
}

export interface TagsTable {
  id: string
  workspace_id: string
  group_id: string | null
  name: string
  kind: 'manual' | 'rule'
  definition: Json | null
  description: Generated<string>
  labels: Generated<string[]>
  size: Generated<number>
  computed_at: Timestamp | null
  computed_snapshot: LogMark | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ProfileTagsTable {
  workspace_id: string
  tag_id: string
  profile_id: string
  added_at: Timestamp
}

export interface SegmentsTable {
  id: string
  workspace_id: string
  name: string
  description: Generated<string>
  kind: 'dynamic' | 'static'
  definition: Json | null
  labels: Generated<string[]>
  changes_with_time: Generated<boolean>
  size: Generated<number>
  computed_at: Timestamp | null
  computed_snapshot: LogMark | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ComputedPropertiesTable {
  id: string
  workspace_id: string
  name: string
  description: Generated<string>
  definition: Json
  empty_value: Json | null
  changes_with_time: Generated<boolean>
  bands: Json | null
  computed_at: Timestamp | null
  computed_snapshot: LogMark | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ComputedValuesTable {
  workspace_id: string
  computed_property_id: string
  profile_id: string
  value: Json
  updated_at: Timestamp
}

export interface SegmentMembersTable {
  workspace_id: string
  segment_id: string
  profile_id: string
  entered_at: Timestamp
}

export interface MembershipChangesTable {
  id: Generated<number>
  workspace_id: string
  segment_id: string | null
  tag_id: string | null
  profile_id: string
  change: 'entered' | 'exited'
  actor_label: string
  at: Timestamp
}

export interface SegmentSizesTable {
  segment_id: string
  at: Timestamp
  size: number
}

export interface EventMessageIdsTable {
  source_id: string
  message_id: string
  received_at: Timestamp
}

export interface ProfileMergesTable {
  id: Generated<number>
  workspace_id: string
  from_profile_id: string
  into_profile_id: string
  message_id: string | null
  actor_label: string | null
  merged_at: Timestamp
}

export interface IdentityRefusalsTable {
  id: Generated<number>
  workspace_id: string
  profile_id: string | null
  identifier_type: string
  identifier_value: string
  message_id: string | null
  reason: string
  at: Timestamp
}

export interface QuarantineTable {
  id: Generated<number>
  workspace_id: string
  source_id: string | null
  code: string
  reason: string
  payload: Json
  received_at: Timestamp
  replayed_at: Timestamp | null
  /** Path of the refused value inside the event, e.g. `properties.items[2].name`. */
  field: Generated<string | null>
  /** The event's position in its request (0 for a single call). */
  event_index: Generated<number | null>
  request_id: Generated<string | null>
}

export interface IdentifierTypesTable {
  workspace_id: string
  type: string
  priority: number
  max_per_profile: number
  blocked_values: string[]
}

export interface SuppressionsTable {
  workspace_id: string
  identifier_hash: string
  created_at: Timestamp
}

export interface ImportsTable {
  id: string
  workspace_id: string
  source_id: string | null
  kind: string | null
  format: string
  file_name: string
  file_path: string
  file_bytes: number
  file_sha256: string
  columns: Json
  preview: Json
  mapping: Json | null
  status: string
  processed_rows: Generated<number>
  processed_bytes: Generated<number>
  accepted: Generated<number>
  duplicates: Generated<number>
  rejected: Generated<number>
  error: string | null
  created_by: string
  created_at: Timestamp
  started_at: Timestamp | null
  finished_at: Timestamp | null
}

export interface ImportErrorsTable {
  import_id: string
  row_number: number
  reason: string
  raw: string
}

export interface SchemaMigrationsTable {
  name: string
  applied_at: Timestamp
}

/** Every table of the database, for the query builder. */
export interface DB {
  workspaces: WorkspacesTable
  users: UsersTable
  memberships: MembershipsTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  login_attempts: LoginAttemptsTable
  audit_log: AuditLogTable
  jobs: JobsTable
  schema_migrations: SchemaMigrationsTable
  sources: SourcesTable
  profiles: ProfilesTable
  profile_identifiers: ProfileIdentifiersTable
  events: EventsTable
  event_message_ids: EventMessageIdsTable
  log_consumers: LogConsumersTable
  time_zones: { name: string }
  tag_groups: TagGroupsTable
  tags: TagsTable
  profile_tags: ProfileTagsTable
  segments: SegmentsTable
  segment_members: SegmentMembersTable
  membership_changes: MembershipChangesTable
  segment_sizes: SegmentSizesTable
  computed_properties: ComputedPropertiesTable
  computed_values: ComputedValuesTable
  profile_merges: ProfileMergesTable
  identity_refusals: IdentityRefusalsTable
  quarantine: QuarantineTable
  identifier_types: IdentifierTypesTable
  suppressions: SuppressionsTable
  imports: ImportsTable
  import_errors: ImportErrorsTable
}
