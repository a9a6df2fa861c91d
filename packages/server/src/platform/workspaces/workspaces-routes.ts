import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import { actorOf } from '../auth/actor.js'
import { AppError } from '../http/app-error.js'
import { defineRoute } from '../http/define-route.js'
import { createWorkspace, getWorkspace, listUserWorkspaces, updateWorkspace } from './workspaces-service.js'

export function workspacesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listWorkspaces, async ({ caller }) => {
    const items = await listUserWorkspaces(ctx, caller.user.id)
    return ok({ items: caller.token ? items.filter((w) => w.id === caller.token?.workspaceId) : items })
  })
  defineRoute(app, ctx, routes.createWorkspace, async ({ caller, body, request }) => {
    // A token belongs to one workspace; creating others is for people.
    if (caller.token) throw new AppError('PERMISSION_DENIED', 'API tokens cannot create workspaces.')
    return transact(ctx.db, (tx) =>
      createWorkspace(ctx, tx, body, { userId: caller.user.id, actor: actorOf(caller), requestId: request.id }),
    )
  })
  defineRoute(app, ctx, routes.getWorkspace, ({ scope }) => getWorkspace(ctx, scope))
  defineRoute(app, ctx, routes.updateWorkspace, ({ scope, body }) => updateWorkspace(ctx, scope, body))
}
