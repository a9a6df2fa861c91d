import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { defineRoute } from '../http/define-route.js'
import { listJobs, queueStats, retryDeadJob } from './jobs-admin.js'

export function jobsRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.listQueues, async ({ scope }) => ok({ items: await queueStats(ctx, scope) }))
  defineRoute(app, ctx, routes.listJobs, async ({ scope, query }) => ok(await listJobs(ctx, scope, query)))
  defineRoute(app, ctx, routes.retryJob, ({ scope, params }) => retryDeadJob(ctx, scope, Number(params.id)))
}
