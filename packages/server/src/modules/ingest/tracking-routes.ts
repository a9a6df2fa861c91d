import { isObject, MESSAGE_TYPES, type ErrorCode, type MessageType } from '@reachloop/domain'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { AppError } from '../../platform/http/app-error.js'
import { ingest, type IngestOutcome } from './ingest-service.js'
import { sourceByWriteKey, type TrackingSource } from './source-cache.js'
import { decodeBody, readAnyBodyAsJson } from './tracking-body.js'
import { checkOrigin, trackingCors } from './tracking-cors.js'

/** The codes a refused single call answers with, beside INVALID_EVENT. */
const SINGLE_CALL_CODES = new Map<string, ErrorCode>([
  ['EVENT_TOO_LARGE', 'EVENT_TOO_LARGE'],
  ['TRACKING_PLAN_VIOLATION', 'TRACKING_PLAN_VIOLATION'],
])

/** The browser SDK's short paths (`/v1/t`, …), beside the long ones. */
const SHORT_PATHS: Record<MessageType, string> = { identify: 'i', track: 't', page: 'p', screen: 's', group: 'g', alias: 'a' }

/**
 * Every call by its path: the long and short names of each type, and a batch as `/v1/batch`,
 * `/v1/b` (the browser SDK) or `/v1/import` (Segment's older name).
 */
const CALLS = new Map<string, MessageType | 'batch'>([
  ...MESSAGE_TYPES.flatMap((type) => [[type, type] as const, [SHORT_PATHS[type], type] as const]),
  ['batch', 'batch'],
  ['b', 'batch'],
  ['import', 'batch'],
])

/** The write key: HTTP Basic username (`base64("<key>:")`), or `writeKey` in the body. */
function writeKeyOf(request: FastifyRequest): string | undefined {
  const basic = request.headers.authorization?.match(/^Basic\s+(\S+)$/i)?.[1]
  if (basic) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] || undefined
  return isObject(request.body) && typeof request.body.writeKey === 'string' ? request.body.writeKey : undefined
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The source the write key resolved to, once looked up. */
    trackingSource?: TrackingSource | null
  }
}

const trackingSchema = {
  tags: ['tracking'],
  summary: `Send one call (${MESSAGE_TYPES.join(', ')}, or their short names ${Object.values(SHORT_PATHS).join(', ')}) or a batch (batch, b, import) of up to 500 KB`,
  description:
    'Segment HTTP Tracking API. Authenticate with the source write key as the Basic auth username or as `writeKey` in the body. The body is JSON whatever its Content-Type; `Content-Encoding: gzip`, `deflate` and `br` are accepted.',
  params: { type: 'object', properties: { call: { type: 'string' } } },
}

/**
 * The Segment-compatible tracking API at `/v1/*`. Requests over the size limit are refused whole
 * (413), as are bodies that cannot be read (400); in a batch, valid events are stored and invalid
 * ones are quarantined and listed with their index and the field to blame.
 */
export function trackingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const bodyLimit = ctx.config.ingestBodyLimit
  const resolveSource = async (request: FastifyRequest): Promise<TrackingSource | null> => {
    if (request.trackingSource === undefined) {
      const key = writeKeyOf(request)
      request.trackingSource = (key ? await sourceByWriteKey(ctx, key) : undefined) ?? null
    }
    return request.trackingSource
  }
  // Counted per source (the resolved write key), once the body is read, so neither a changed
  // password part of the Basic header nor a key sent in the body escapes the limit.
  const config = {
    rateLimit: {
      max: ctx.config.ingestRateLimit,
      timeWindow: '1 minute',
      hook: 'preHandler' as const,
      keyGenerator: async (request: FastifyRequest) => {
        const source = await resolveSource(request)
        return source ? `source:${source.id}` : `ip:${request.ip}`
      },
    },
  }
  const respond = (outcome: IngestOutcome) => ({
    success: true,
    accepted: outcome.accepted,
    duplicates: outcome.duplicates,
    suppressed: outcome.suppressed,
    rejected: outcome.rejected,
  })

  const authorize = async (request: FastifyRequest) => {
    const source = await resolveSource(request)
    if (!source) throw new AppError('INVALID_WRITE_KEY', writeKeyOf(request) ? 'The write key is unknown or was rotated.' : undefined)
    checkOrigin(request, source)
    return source
  }

  app.register(async (scope) => {
    readAnyBodyAsJson(scope, bodyLimit)
    trackingCors(scope)
    scope.addHook('preParsing', async (request, _reply, payload) => {
      const encoding = request.headers['content-encoding']
      if (encoding === undefined) return payload
      const decoded = decodeBody(payload, Array.isArray(encoding) ? encoding.join(',') : encoding)
      if (decoded instanceof AppError) throw decoded
      return decoded
    })

    const single = async (request: FastifyRequest, type: MessageType) => {
      const source = await authorize(request)
      const outcome = await ingest(ctx, source, [request.body], { type, requestId: request.id })
      const [rejection] = outcome.rejected
      if (rejection)
        throw new AppError(SINGLE_CALL_CODES.get(rejection.code) ?? 'INVALID_EVENT', rejection.reason, {
          rejected: outcome.rejected,
        })
      return respond(outcome)
    }
    const batch = async (request: FastifyRequest) => {
      const source = await authorize(request)
      const body = request.body
      if (!isObject(body) || !Array.isArray(body.batch))
        throw new AppError('INVALID_EVENT', 'batch must be an array of calls', { field: 'batch' })
      const outcome = await ingest(ctx, source, body.batch, {
        ...(isObject(body.context) ? { context: body.context } : {}),
        ...(body.sentAt ? { sentAt: body.sentAt } : {}),
        requestId: request.id,
      })
      return respond(outcome)
    }
    // One route for every call, so one rate-limit counter per source covers them all.
    scope.post<{ Params: { call: string } }>('/v1/:call', { bodyLimit, config, schema: trackingSchema }, async (request) => {
      const call = CALLS.get(request.params.call)
      if (!call)
        throw new AppError(
          'ROUTE_NOT_FOUND',
          `No route POST /v1/${request.params.call.slice(0, 40)}; the calls are ${[...CALLS.keys()].join(', ')}.`,
        )
      return call === 'batch' ? batch(request) : single(request, call)
    })
  })
}
