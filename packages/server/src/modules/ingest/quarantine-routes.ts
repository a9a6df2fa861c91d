import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { listQuarantine, replayQuarantined } from './quarantine-service.js'

/** The quarantine: events refused at ingestion, and replaying one (as stored or corrected). */
export function quarantineRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listQuarantine, async ({ scope, query }) => ok(await listQuarantine(ctx, scope.workspaceId, query)))
  defineRoute(app, ctx, routes.replayQuarantined, ({ scope, params, body }) =>
    replayQuarantined(ctx, scope, Number(params.id), body.payload),
  )
}
