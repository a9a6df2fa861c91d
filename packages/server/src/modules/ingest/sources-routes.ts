import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { sourceDebugger } from './source-debugger.js'
import { createSource, deleteSource, listSources, rotateSourceKey, updateSource } from './sources-service.js'

export function sourcesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listSources, async ({ scope }) => ok({ items: await listSources(ctx, scope.workspaceId) }))
  defineRoute(app, ctx, routes.createSource, ({ scope, body }) =>
    transact(ctx.db, async (tx) => ok(await createSource(ctx, scope, body, tx))),
  )
  defineRoute(app, ctx, routes.updateSource, ({ scope, params, body }) => updateSource(ctx, scope, params.id, body))
  defineRoute(app, ctx, routes.rotateSourceKey, ({ scope, params }) => rotateSourceKey(ctx, scope, params.id))
  defineRoute(app, ctx, routes.getSourceDebugger, ({ scope, params }) => sourceDebugger(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.deleteSource, ({ scope, params }) => deleteSource(ctx, scope, params.id))
}
