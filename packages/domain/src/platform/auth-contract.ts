import { Type, type Static } from '@sinclair/typebox'
import { PermissionName, RoleName } from '../access/access-schemas.js'
import { Empty, route } from '../contract/route-contract.js'

export const Email = Type.String({ format: 'email', maxLength: 254 })

export const Password = Type.String({ minLength: 8, maxLength: 200 })

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
export type SetupState = Static<typeof SetupState>

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

/** A signed-in user's change of their own password: the current one, and the new one under the setup's rules. */
export const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
)
export type PasswordChange = Static<typeof PasswordChange>

export const authRoutes = {
  getSetup: route({
    method: 'GET',
    path: '/api/v1/setup',
    tag: 'auth',
    summary: 'Whether first-run setup is needed',
    access: { kind: 'public' },
    response: SetupState,
  }),
  runSetup: route({
    method: 'POST',
    path: '/api/v1/setup',
    tag: 'auth',
    summary: 'Create the first owner and workspace, and sign in',
    access: { kind: 'public' },
    body: SetupRequest,
    response: Me,
    status: 201,
  }),
  login: route({
    method: 'POST',
    path: '/api/v1/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password (sets the session cookie)',
    access: { kind: 'public' },
    body: LoginRequest,
    response: Me,
  }),
  logout: route({
    method: 'POST',
    path: '/api/v1/auth/logout',
    tag: 'auth',
    summary: 'Sign out',
    access: { kind: 'public' },
    response: Empty,
  }),
  changePassword: route({
    method: 'POST',
    path: '/api/v1/me/password',
    tag: 'auth',
    summary: "Change the signed-in user's password (the current one is checked, with the sign-in lockout); their other sessions end",
    access: { kind: 'user' },
    body: PasswordChange,
    response: Type.Object({ endedSessions: Type.Integer() }),
  }),
  getMe: route({
    method: 'GET',
    path: '/api/v1/me',
    tag: 'auth',
    summary: 'The signed-in user, their workspaces and permissions',
    access: { kind: 'user' },
    response: Me,
  }),
} as const
