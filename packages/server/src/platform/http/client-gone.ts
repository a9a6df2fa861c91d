import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * A signal that aborts when the client goes away before its answer is sent — the browser leaves
 * the page, a fetch is aborted, the connection drops — so work done only for that answer (a
 * preview) can stop, in the database too. The response's `close` without a finished answer is
 * the sign: the request's own `close` (and `destroyed`) also come once its body has been read.
 *
 * @example
 * defineRoute(app, ctx, routes.previewSegment, ({ scope, body, request, reply }) => previewSegment(ctx, scope, body.definition, clientGone(request, reply)))
 */
export function clientGone(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  const response = reply.raw
  // Gone already (while the caller was authenticated): the connection is closed.
  if (request.raw.socket?.destroyed === true) controller.abort(new Error('the client went away'))
  else response.once('close', () => !response.writableFinished && controller.abort(new Error('the client went away')))
  return controller.signal
}
