import { Type, type Static } from '@sinclair/typebox'
import { route, Timestamp } from '../contract/route-contract.js'

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

export const workspaceRoutes = {
  listWorkspaces: route({
    method: 'GET',
    path: '/api/v1/workspaces',
    tag: 'workspaces',
    summary: 'Workspaces the caller belongs to',
    access: { kind: 'user' },
    response: Type.Object({ items: Type.Array(Workspace) }),
  }),
  createWorkspace: route({
    method: 'POST',
    path: '/api/v1/workspaces',
    tag: 'workspaces',
    summary: 'Create a workspace; the caller becomes its owner',
    access: { kind: 'user' },
    body: NewWorkspace,
    response: Workspace,
    status: 201,
  }),
  getWorkspace: route({
    method: 'GET',
    path: '/api/v1/workspace',
    tag: 'workspaces',
    summary: 'The current workspace and its settings',
    access: { kind: 'workspace', permission: 'workspace.read' },
    response: Workspace,
  }),
  updateWorkspace: route({
    method: 'PATCH',
    path: '/api/v1/workspace',
    tag: 'workspaces',
    summary: 'Change the current workspace settings',
    access: { kind: 'workspace', permission: 'workspace.manage' },
    body: WorkspaceSettings,
    response: Workspace,
  }),
} as const
