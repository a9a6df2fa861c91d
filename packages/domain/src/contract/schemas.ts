import { Type, type Static } from '@sinclair/typebox'
import { PERMISSIONS } from '../access/permissions.js'
import { ROLES } from '../access/roles.js'
import { Timestamp } from './route-contract.js'

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)))

/** A role name. */
export const RoleName = Type.Unsafe<(typeof ROLES)[number]>({ type: 'string', enum: [...ROLES] })
/** A permission name. */
export const PermissionName = Type.Unsafe<(typeof PERMISSIONS)[number]>({ type: 'string', enum: [...PERMISSIONS] })

export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Password = Type.String({ minLength: 8, maxLength: 200 })
export const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])

/** A workspace (tenant) and its settings. */
export const Workspace = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  currency: Type.String(),
  locale: Locale,
  createdAt: Timestamp,
})
export type Workspace = Static<typeof Workspace>

export const WorkspaceSettings = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
)
export type WorkspaceSettings = Static<typeof WorkspaceSettings>

export const NewWorkspace = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
)
export type NewWorkspace = Static<typeof NewWorkspace>

/** The signed-in user, the workspaces they belong to, and what they may do in the current one. */
export const Me = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  workspaces: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: RoleName })),
  currentWorkspaceId: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([RoleName, Type.Null()]),
  permissions: Type.Array(PermissionName),
})
export type Me = Static<typeof Me>

export const SetupState = Type.Object({ needed: Type.Boolean() })

export const SetupRequest = Type.Object(
  {
    email: Email,
    password: Password,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    workspace: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
)
export type SetupRequest = Static<typeof SetupRequest>

export const LoginRequest = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
export type LoginRequest = Static<typeof LoginRequest>

/** A member of a workspace: a user and their role there. */
export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleName,
  disabled: Type.Boolean(),
  createdAt: Timestamp,
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
})
export type User = Static<typeof User>

export const NewUser = Type.Object(
  { email: Email, name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleName, password: Type.Optional(Password) },
  { additionalProperties: false },
)
export type NewUser = Static<typeof NewUser>

export const UserChange = Type.Object(
  { role: Type.Optional(RoleName), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type UserChange = Static<typeof UserChange>

export const RoleInfo = Type.Object({ name: RoleName, permissions: Type.Array(PermissionName) })
export type RoleInfo = Static<typeof RoleInfo>

/** An API token for scripts; its secret is shown once, at creation. */
export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleName,
  prefix: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
})
export type ApiToken = Static<typeof ApiToken>

export const NewApiToken = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.Optional(RoleName) },
  { additionalProperties: false },
)
export type NewApiToken = Static<typeof NewApiToken>

export const CreatedApiToken = Type.Object({ token: ApiToken, secret: Type.String() })
export type CreatedApiToken = Static<typeof CreatedApiToken>

/** One recorded change: who, when, where, what, before and after. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({
    kind: literals(['user', 'token', 'system'] as const),
    id: Type.Union([Type.String(), Type.Null()]),
    label: Type.String(),
  }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
})
export type AuditEntry = Static<typeof AuditEntry>

export const JobState = literals(['queued', 'running', 'done', 'dead'] as const)
export type JobState = Static<typeof JobState>

/** A durable job. */
export const Job = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  state: JobState,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
})
export type Job = Static<typeof Job>

/** Counts of a queue's jobs by state; `due` are queued jobs whose time has come, `retrying` queued after a failure. */
export const QueueStats = Type.Object({
  queue: Type.String(),
  due: Type.Integer(),
  scheduled: Type.Integer(),
  retrying: Type.Integer(),
  running: Type.Integer(),
  dead: Type.Integer(),
  done: Type.Integer(),
})
export type QueueStats = Static<typeof QueueStats>

export const Health = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) })

/** The error shape of every failed request (DESIGN §7). */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
    requestId: Type.Optional(Type.String()),
  }),
})
