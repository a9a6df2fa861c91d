import { Type } from '@sinclair/typebox'
import { audienceRoutes } from './audiences.js'
import { computedPropertyRoutes } from './computed-properties.js'
import { customerDataRoutes } from './customer-data.js'
import { importRoutes } from './imports.js'
import { Empty, IdParams, Page, PageQuery, route, SerialIdParams, Timestamp } from './route-contract.js'
import {
  ApiToken, AuditEntry, CreatedApiToken, Job, JobState, LoginRequest, Me, User, UserChange, NewApiToken,
  NewUser, NewWorkspace, QueueStats, RoleInfo, SetupRequest, SetupState, Workspace, WorkspaceSettings,
} from './schemas.js'

/**
 * The admin API (`/api/v1`) as contracts. The server serves exactly these; the console calls them.
 *
 * @example
 * await client.call(routes.listUsers, {})
 */
export const routes = {
  getSetup: route({ method: 'GET', path: '/api/v1/setup', tag: 'auth', summary: 'Whether first-run setup is needed', access: { kind: 'public' }, response: SetupState }),
  runSetup: route({ method: 'POST', path: '/api/v1/setup', tag: 'auth', summary: 'Create the first owner and workspace, and sign in', access: { kind: 'public' }, body: SetupRequest, response: Me, status: 201 }),
  login: route({ method: 'POST', path: '/api/v1/auth/login', tag: 'auth', summary: 'Sign in with email and password (sets the session cookie)', access: { kind: 'public' }, body: LoginRequest, response: Me }),
  logout: route({ method: 'POST', path: '/api/v1/auth/logout', tag: 'auth', summary: 'Sign out', access: { kind: 'public' }, response: Empty }),
  getMe: route({ method: 'GET', path: '/api/v1/me', tag: 'auth', summary: 'The signed-in user, their workspaces and permissions', access: { kind: 'user' }, response: Me }),

  listWorkspaces: route({ method: 'GET', path: '/api/v1/workspaces', tag: 'workspaces', summary: 'Workspaces the caller belongs to', access: { kind: 'user' }, response: Type.Object({ items: Type.Array(Workspace) }) }),
  createWorkspace: route({ method: 'POST', path: '/api/v1/workspaces', tag: 'workspaces', summary: 'Create a workspace; the caller becomes its owner', access: { kind: 'user' }, body: NewWorkspace, response: Workspace, status: 201 }),
  getWorkspace: route({ method: 'GET', path: '/api/v1/workspace', tag: 'workspaces', summary: 'The current workspace and its settings', access: { kind: 'workspace', permission: 'workspace.read' }, response: Workspace }),
  updateWorkspace: route({ method: 'PATCH', path: '/api/v1/workspace', tag: 'workspaces', summary: 'Change the current workspace settings', access: { kind: 'workspace', permission: 'workspace.manage' }, body: WorkspaceSettings, response: Workspace }),

  listRoles: route({ method: 'GET', path: '/api/v1/roles', tag: 'users', summary: 'Roles and their permissions', access: { kind: 'workspace', permission: 'users.read' }, response: Type.Object({ items: Type.Array(RoleInfo) }) }),
  listUsers: route({ method: 'GET', path: '/api/v1/users', tag: 'users', summary: 'Members of the current workspace', access: { kind: 'workspace', permission: 'users.read' }, response: Type.Object({ items: Type.Array(User) }) }),
  createUser: route({ method: 'POST', path: '/api/v1/users', tag: 'users', summary: 'Add a user to the workspace (creates the user if new)', access: { kind: 'workspace', permission: 'users.manage' }, body: NewUser, response: User, status: 201 }),
  getUser: route({ method: 'GET', path: '/api/v1/users/:id', tag: 'users', summary: 'One member', access: { kind: 'workspace', permission: 'users.read' }, params: IdParams, response: User }),
  updateUser: route({ method: 'PATCH', path: '/api/v1/users/:id', tag: 'users', summary: 'Change a member\'s role or disabled state (a name belongs to the user, who may be in other workspaces)', access: { kind: 'workspace', permission: 'users.manage' }, params: IdParams, body: UserChange, response: User }),
  removeUser: route({ method: 'DELETE', path: '/api/v1/users/:id', tag: 'users', summary: 'Remove a member from the workspace', access: { kind: 'workspace', permission: 'users.manage' }, params: IdParams, response: Empty }),

  listTokens: route({ method: 'GET', path: '/api/v1/tokens', tag: 'tokens', summary: 'API tokens of the workspace', access: { kind: 'workspace', permission: 'tokens.manage' }, response: Type.Object({ items: Type.Array(ApiToken) }) }),
  createToken: route({ method: 'POST', path: '/api/v1/tokens', tag: 'tokens', summary: 'Create an API token; the secret is returned once', access: { kind: 'workspace', permission: 'tokens.manage' }, body: NewApiToken, response: CreatedApiToken, status: 201 }),
  revokeToken: route({ method: 'DELETE', path: '/api/v1/tokens/:id', tag: 'tokens', summary: 'Revoke an API token', access: { kind: 'workspace', permission: 'tokens.manage' }, params: IdParams, response: Empty }),

  listAudit: route({
    method: 'GET', path: '/api/v1/audit-log', tag: 'audit', summary: 'Recorded changes, newest first', access: { kind: 'workspace', permission: 'audit.read' },
    query: Type.Object({
      ...PageQuery,
      actorId: Type.Optional(Type.String({ format: 'uuid' })),
      action: Type.Optional(Type.String({ maxLength: 100 })),
      entityType: Type.Optional(Type.String({ maxLength: 100 })),
      entityId: Type.Optional(Type.String({ maxLength: 100 })),
      from: Type.Optional(Timestamp),
      to: Type.Optional(Timestamp),
    }),
    response: Page(AuditEntry),
  }),

  listQueues: route({ method: 'GET', path: '/api/v1/jobs/queues', tag: 'jobs', summary: 'Job counts per queue', access: { kind: 'workspace', permission: 'jobs.read' }, response: Type.Object({ items: Type.Array(QueueStats) }) }),
  listJobs: route({
    method: 'GET', path: '/api/v1/jobs', tag: 'jobs', summary: 'Jobs, newest first', access: { kind: 'workspace', permission: 'jobs.read' },
    query: Type.Object({ ...PageQuery, queue: Type.Optional(Type.String({ maxLength: 100 })), state: Type.Optional(JobState) }),
    response: Page(Job),
  }),
  ...customerDataRoutes,
  ...importRoutes,
  ...audienceRoutes,
  ...computedPropertyRoutes,
  retryJob: route({ method: 'POST', path: '/api/v1/jobs/:id/retry', tag: 'jobs', summary: 'Queue a dead job again', access: { kind: 'workspace', permission: 'jobs.manage' }, params: SerialIdParams, response: Job }),
} as const

/** Every admin route contract. */
export type Routes = typeof routes
