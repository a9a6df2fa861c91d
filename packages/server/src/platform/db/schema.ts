import type { ColumnType, Generated } from 'kysely'

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
}
