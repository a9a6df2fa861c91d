import { normalizeOrigin } from '@reachloop/domain'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../platform/http/app-error.js'
import type { TrackingSource } from './source-cache.js'

/** What the SDKs send: the write key, the body's type and encoding, and the browser SDK's `X-Retry-Count` on retries. */
const ALLOWED_HEADERS = 'authorization, content-type, content-encoding, x-request-id, x-retry-count'
// A preflight naming other headers gets them back, so a newer SDK's header never blocks its events.
const HEADER_LIST = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/

/**
 * CORS for the tracking API, written here rather than with @fastify/cors because the allowed
 * origins belong to the source, and the source is known only once the write key is read (a
 * preflight carries none). So a preflight is answered for any origin, and the real request is
 * refused (403, nothing stored) when its source names origins and the page's is not one of them.
 * The refusal stays readable by the page: the browser SDK drops an event on a 4xx it can read,
 * while one it cannot read looks like a network failure that it would retry ten times.
 */
export function trackingCors(scope: FastifyInstance): void {
  scope.options('/v1/*', async (request, reply) => {
    const asked = request.headers['access-control-request-headers']
    return reply
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header(
        'access-control-allow-headers',
        typeof asked === 'string' && asked.length <= 500 && HEADER_LIST.test(asked) ? `${ALLOWED_HEADERS}, ${asked}` : ALLOWED_HEADERS,
      )
      .header('access-control-max-age', '86400')
      .status(204)
      .send()
  })
  scope.addHook('onSend', async (request, reply: FastifyReply) => {
    // A shop page on another origin may read the answer, and the SDK its errors.
    reply.header('cross-origin-resource-policy', 'cross-origin')
    const origin = request.headers.origin
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin')
  })
}

/** Refuses a browser request whose page is not on one of the source's allowed origins. */
export function checkOrigin(request: FastifyRequest, source: TrackingSource): void {
  const origin = request.headers.origin
  if (!origin || source.allowedOrigins === null || source.allowedOrigins.length === 0) return
  // Stored origins are normalized when saved (`normalizeAllowedOrigins`); an `Origin` that is no
  // http(s) origin (`null` from a sandboxed frame or a file) matches none.
  const wanted = normalizeOrigin(origin)
  if (wanted !== undefined && source.allowedOrigins.includes(wanted)) return
  throw new AppError(
    'ORIGIN_NOT_ALLOWED',
    `This source does not take events from ${origin.slice(0, 100)}; add it to the source's allowed origins.`,
  )
}
