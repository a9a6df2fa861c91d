import { ok, ROLE_PERMISSIONS, ROLES, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { defineRoute } from '../http/define-route.js'
import { createUser, getUser, listUsers, removeUser, updateUser } from './users-service.js'

export function usersRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listRoles, async () =>
    ok({ items: ROLES.map((name) => ({ name, permissions: [...ROLE_PERMISSIONS[name]] })) }),
  )
  defineRoute(app, ctx, routes.listUsers, async ({ scope }) => ok({ items: await listUsers(ctx, scope) }))
  defineRoute(app, ctx, routes.createUser, ({ scope, body }) => createUser(ctx, scope, body))
  defineRoute(app, ctx, routes.getUser, ({ scope, params }) => getUser(ctx, scope, params.id))
  defineRoute(app, ctx, routes.updateUser, ({ scope, params, body }) => updateUser(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.removeUser, ({ scope, params }) => removeUser(ctx, scope, params.id))
}
