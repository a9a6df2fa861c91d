import { Type, type Static } from '@sinclair/typebox'
import { PermissionName, RoleName } from '../access/access-schemas.js'
import { Empty, IdParams, route, Timestamp } from '../contract/route-contract.js'
import { Email, Password } from './auth-contract.js'

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

export const userRoutes = {
  listRoles: route({
    method: 'GET',
    path: '/api/v1/roles',
    tag: 'users',
    summary: 'Roles and their permissions',
    access: { kind: 'workspace', permission: 'users.read' },
    response: Type.Object({ items: Type.Array(RoleInfo) }),
  }),
  listUsers: route({
    method: 'GET',
    path: '/api/v1/users',
    tag: 'users',
    summary: 'Members of the current workspace',
    access: { kind: 'workspace', permission: 'users.read' },
    response: Type.Object({ items: Type.Array(User) }),
  }),
  createUser: route({
    method: 'POST',
    path: '/api/v1/users',
    tag: 'users',
    summary: 'Add a user to the workspace (creates the user if new)',
    access: { kind: 'workspace', permission: 'users.manage' },
    body: NewUser,
    response: User,
    status: 201,
  }),
  getUser: route({
    method: 'GET',
    path: '/api/v1/users/:id',
    tag: 'users',
    summary: 'One member',
    access: { kind: 'workspace', permission: 'users.read' },
    params: IdParams,
    response: User,
  }),
  updateUser: route({
    method: 'PATCH',
    path: '/api/v1/users/:id',
    tag: 'users',
    summary: "Change a member's role or disabled state (a name belongs to the user, who may be in other workspaces)",
    access: { kind: 'workspace', permission: 'users.manage' },
    params: IdParams,
    body: UserChange,
    response: User,
  }),
  removeUser: route({
    method: 'DELETE',
    path: '/api/v1/users/:id',
    tag: 'users',
    summary: 'Remove a member from the workspace',
    access: { kind: 'workspace', permission: 'users.manage' },
    params: IdParams,
    response: Empty,
  }),
} as const
