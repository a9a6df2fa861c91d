import { createHash, timingSafeEqual } from 'node:crypto'
import { isObject, mapImportRow, routes } from '@reachloop/domain'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { AppError } from '../../platform/http/app-error.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { ingest } from './ingest-service.js'
import { getSourceWebhook, setSourceWebhook, signWebhook, SIGNATURE_HEADER, webhookSource } from './webhooks.js'

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer
  }
}

/** Whether a push carries the signature its source's secret gives its exact bytes (compared in constant time). */
const signedBy = (secret: string, rawBody: Buffer | undefined, given: unknown): boolean => {
  const expected = rawBody ? signWebhook(secret, rawBody) : undefined
  return (
    typeof given === 'string' &&
    !!expected &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  )
}

/** Admin routes for a source's webhook, and the public endpoint that takes the pushes. */
export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, routes.getSourceWebhook, ({ scope, params }) => getSourceWebhook(ctx, scope.workspaceId, params.id))
  defineRoute(app, ctx, routes.setSourceWebhook, ({ scope, params, body }) => setSourceWebhook(ctx, scope, params.id, body))

  app.register(async (scope) => {
    // The signature covers the exact bytes sent, so keep them beside the parsed body.
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')))
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined)
      }
    })
    scope.post<{ Params: { sourceId: string } }>(
      '/p/webhooks/:sourceId',
      {
        bodyLimit: ctx.config.ingestBodyLimit,
        config: { rateLimit: { max: 1200, timeWindow: '1 minute' } },
        schema: {
          tags: ['tracking'],
          summary: 'Take a signed JSON push for a webhook source',
          description: `Sign the raw body: header \`${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256(secret, body)>\`.`,
          params: { type: 'object', properties: { sourceId: { type: 'string', format: 'uuid' } }, required: ['sourceId'] },
        },
      },
      async (request, reply) => {
        const source = await webhookSource(ctx, request.params.sourceId)
        // Unknown source and wrong signature answer the same, so the endpoint reveals nothing.
        if (!source || !signedBy(source.webhook.secret, request.rawBody, request.headers[SIGNATURE_HEADER]))
          throw new AppError('INVALID_SIGNATURE')
        const { webhook } = source
        const pushes = Array.isArray(request.body) ? request.body : [request.body]
        const bodyHash = createHash('sha256').update(request.rawBody!).digest('hex')
        const messages = pushes.map((push, i) =>
          mapImportRow(isObject(push) ? push : {}, webhook.kind, webhook.mapping, `webhook:${bodyHash}:${i}`, 'webhook'),
        )
        const outcome = await ingest(ctx, { id: source.id, workspaceId: source.workspaceId }, messages)
        if (outcome.rejected.length > 0 && outcome.accepted === 0 && outcome.duplicates === 0)
          throw new AppError('INVALID_EVENT', outcome.rejected[0]?.reason, { rejected: outcome.rejected })
        return reply.send({ success: true, accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected })
      },
    )
  })
}
