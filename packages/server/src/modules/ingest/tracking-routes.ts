import { createGunzip } from 'node:zlib'
import { isObject, MESSAGE_TYPES, type MessageType } from '@reachloop/domain'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { AppError } from '../../platform/http/app-error.js'
import { ingest, type IngestOutcome } from './ingest-service.js'
import { sourceByWriteKey } from './sources-service.js'

/** The write key: HTTP Basic username (`base64("<key>:")`), or `writeKey` in the body. */
function writeKeyOf(request: FastifyRequest): string | undefined {
  const basic = request.headers.authorization?.match(/^Basic\s+(\S+)$/i)?.[1]
  if (basic) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] || undefined
  return isObject(request.body) && typeof request.body.writeKey === 'string' ? request.body.writeKey : undefined
}

const trackingSchema = (summary: string) => ({
  tags: ['tracking'],
  summary,
  description: 'Segment HTTP Tracking API. Authenticate with the source write key as the Basic auth username. Accepts `Content-Encoding: gzip`.',
  body: { type: 'object' },
})

/**
 * The Segment-compatible tracking API at `/v1/*`. Requests over the size limit are refused whole
 * (413); in a batch, valid events are stored and invalid ones are quarantined and listed.
 */
export function trackingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const bodyLimit = ctx.config.ingestBodyLimit
  // Limited per write key (the Basic auth header) so one noisy source cannot starve the others.
  const config = { rateLimit: { max: ctx.config.ingestRateLimit, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.headers.authorization ?? request.ip } }
  const respond = (outcome: IngestOutcome) => ({ success: true, accepted: outcome.accepted, duplicates: outcome.duplicates, suppressed: outcome.suppressed, rejected: outcome.rejected })

  const authorize = async (request: FastifyRequest) => {
    const key = writeKeyOf(request)
    const source = key ? await sourceByWriteKey(ctx, key) : undefined
    if (!source) throw new AppError('INVALID_WRITE_KEY', key ? 'The write key is unknown or was rotated.' : undefined)
    return source
  }

  app.register(async (scope) => {
    // Decompress gzip bodies before parsing; the body limit then applies to the JSON itself.
    scope.addHook('preParsing', async (request, _reply, payload) => {
      if (request.headers['content-encoding'] === 'gzip') {
        delete request.headers['content-encoding']
        delete request.headers['content-length']
        return payload.pipe(createGunzip())
      }
      return payload
    })

    for (const type of MESSAGE_TYPES) {
      scope.post(`/v1/${type}`, { bodyLimit, config, schema: trackingSchema(`Send one ${type} call`) }, async (request, reply) => {
        const source = await authorize(request)
        const outcome = await ingest(ctx, source, [request.body], { type: type as MessageType })
        const [rejection] = outcome.rejected
        if (rejection) throw new AppError(rejection.code === 'EVENT_TOO_LARGE' ? 'EVENT_TOO_LARGE' : 'INVALID_EVENT', rejection.reason, { rejected: outcome.rejected })
        return reply.send(respond(outcome))
      })
    }

    scope.post('/v1/batch', { bodyLimit, config, schema: trackingSchema('Send up to 500 KB of calls at once') }, async (request, reply) => {
      const source = await authorize(request)
      const body = request.body as Record<string, unknown>
      if (!Array.isArray(body.batch)) throw new AppError('INVALID_EVENT', 'batch must be an array of calls', { field: 'body.batch' })
      const outcome = await ingest(ctx, source, body.batch, { ...(isObject(body.context) ? { context: body.context } : {}), ...(body.sentAt ? { sentAt: body.sentAt } : {}) })
      return reply.send(respond(outcome))
    })
  })
}
