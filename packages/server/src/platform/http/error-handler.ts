import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@reachloop/domain'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from './app-error.js'
import type { FieldError } from './input-guard.js'

/** The admin API's paths (`/api/v1` and below, with or without a query). */
export const isAdminPath = (url: string) => /^\/api\/v1(?:[/?]|$)/.test(url)

/** Turns AJV errors into `{ field, message }` pairs with the field's full path, e.g. `body.email`. */
function fieldErrors(error: FastifyError): FieldError[] {
  const context = (error.validationContext ?? 'body').replace('querystring', 'query')
  // A failed `if`/`then` (a tagged union's variant) repeats the errors of its `then`, already listed.
  return (error.validation ?? [])
    .filter((v) => v.keyword !== 'if')
    .map((v) => {
      const path = v.instancePath.split('/').filter(Boolean)
      const missing = (v.params as { missingProperty?: string; additionalProperty?: string }).missingProperty
      const extra = (v.params as { additionalProperty?: string }).additionalProperty
      if (missing) path.push(missing)
      if (extra) path.push(extra)
      const message = extra ? 'is not an allowed property' : (v.message ?? 'is invalid')
      return { field: [context, ...path].join('.'), message }
    })
}

function classify(error: FastifyError): { code: ErrorCode; message?: string; details?: unknown } {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details }
  if (error.validation) {
    const fields = fieldErrors(error)
    const message = fields.map((f) => `${f.field} ${f.message}`).join('; ')
    return { code: 'VALIDATION_FAILED', message, details: { fields } }
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE' }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'INVALID_JSON', message: error.message }
    default:
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return { code: 'INVALID_JSON', message: `The request body is not valid JSON: ${error.message}` }
  if (error.statusCode === 429) return { code: 'RATE_LIMITED' }
  if (error.statusCode === 405) return { code: 'METHOD_NOT_ALLOWED' }
  return { code: 'INTERNAL_ERROR' }
}

/** Sends the error shape of DESIGN §7 with the request id. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  message?: string,
  details?: unknown,
): FastifyReply {
  const body: ErrorBody = { error: { code, message: message ?? ERROR_CODES[code].message, requestId: request.id } }
  if (details !== undefined) body.error.details = details
  return reply.status(ERROR_CODES[code].status).type('application/json').send(body)
}

/**
 * Answers what the router refuses before any route runs — a path that is not percent-encoded
 * UTF-8 (`%ED%A0%80`, a lone surrogate), a parameter over the length limit — in the same shape as
 * every other error. No hook runs for these, so the headers they would set are set here.
 */
export function sendRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, maxParamLength: number): FastifyReply {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `must not be longer than ${maxParamLength} characters`
      : 'must be valid percent-encoded UTF-8'
  reply.header('x-request-id', request.id)
  if (isAdminPath(request.url)) reply.header('cache-control', 'no-store')
  request.log.info({ code: error.code }, 'request refused')
  return sendError(request, reply, 'VALIDATION_FAILED', `params ${message}`, { fields: [{ field: 'params', message }] })
}

/** Installs the error and not-found handlers; `fallback` serves non-API paths (the console). */
export function installErrorHandlers(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { code, message, details } = classify(error)
    if (code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed')
    else request.log.info({ code, message }, 'request refused')
    return sendError(request, reply, code, message, details)
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const isApi = /^\/(api|v1|p)(\/|$)/.test(path) || path === '/healthz' || path === '/readyz'
    if (!isApi && fallback && (request.method === 'GET' || request.method === 'HEAD')) return fallback(request, reply)
    return sendError(request, reply, 'ROUTE_NOT_FOUND', `No route ${request.method} ${path}`)
  })
}
