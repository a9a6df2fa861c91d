import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { defineRoute } from '../http/define-route.js'
import { listAudit } from './audit-service.js'

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listAudit, async ({ scope, query }) => ok(await listAudit(ctx.db, scope.workspaceId, query)))
}
