import { Health } from '@reachloop/domain'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.js'
import { pendingMigrations } from '../db/migrate.js'

/** `/healthz`: the process answers. `/readyz`: it can serve (database reachable, schema current, not shutting down). */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Health } } }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Ready to serve: database reachable and migrated', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const checks: Record<string, string> = {}
      try {
        await sql`SELECT 1`.execute(ctx.db)
        checks.database = 'ok'
        const pending = await pendingMigrations(ctx.db, ctx.migrations)
        checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`
      } catch (error) {
        checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`
      }
      checks.process = ctx.state.ready ? 'ok' : 'not ready'
      const ready = Object.values(checks).every((c) => c === 'ok')
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks })
    },
  )
}
