import {
  ErrorResponse,
  roleCan,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  type Result,
  type RouteAccess,
  type RouteContract,
} from '@reachloop/domain'
import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { AppContext } from '../context.js'
import { actorOf, type Caller, type WorkspaceScope } from '../auth/actor.js'
import { authenticate, resolveWorkspace, SESSION_COOKIE } from '../auth/auth-service.js'
import { AppError } from './app-error.js'
import { findUnstorable, MAX_BODY_DEPTH } from './input-guard.js'

/** What a caller is, per the route's access kind. */
export type AccessOf<C> =
  C extends RouteContract<TSchema, TSchema, TSchema, TSchema, infer A>
    ? A extends { kind: 'workspace' }
      ? { caller: Caller; scope: WorkspaceScope }
      : A extends { kind: 'user' }
        ? { caller: Caller }
        : { caller: Caller | null }
    : never

/** What a handler receives: validated input, the caller (and scope), and the raw request and reply. */
export type RouteInput<C> = {
  params: ParamsOf<C>
  query: QueryOf<C>
  body: BodyOf<C>
  request: FastifyRequest
  reply: FastifyReply
} & AccessOf<C>

export type RouteHandler<C> = (input: RouteInput<C>) => Promise<Result<ResponseOf<C>>>

interface Authorized {
  caller: Caller | null
  scope: WorkspaceScope | null
}

declare module 'fastify' {
  interface FastifyRequest {
    authorized?: Authorized
  }
  interface FastifyContextConfig {
    /** The contract a route was registered from; every admin route has one. */
    contract?: RouteContract
  }
}

/** Authenticates and authorizes before the body is even parsed, so nobody unauthorized learns about the schema. */
async function authorize(ctx: AppContext, access: RouteAccess, request: FastifyRequest): Promise<Authorized> {
  const auth = await authenticate(ctx, { authorization: request.headers.authorization, sessionSecret: request.cookies[SESSION_COOKIE] })
  if (!auth.ok) throw AppError.from(auth)
  const caller = auth.value
  if (access.kind === 'public') return { caller, scope: null }
  if (!caller) throw new AppError('UNAUTHENTICATED')
  if (access.kind === 'user') return { caller, scope: null }
  const header = request.headers['x-workspace-id']
  const workspace = await resolveWorkspace(ctx, caller, typeof header === 'string' ? header : undefined)
  if (!workspace.ok) throw AppError.from(workspace)
  if (!workspace.value) throw new AppError('WORKSPACE_NOT_FOUND', 'You belong to no workspace yet.')
  const { workspaceId, role } = workspace.value
  if (!roleCan(role, access.permission))
    throw new AppError('PERMISSION_DENIED', `The ${role} role lacks the ${access.permission} permission.`)
  return { caller, scope: { workspaceId, role, caller, actor: actorOf(caller), requestId: request.id } }
}

/**
 * Registers a route from its contract: schemas validate the input and document the route in
 * OpenAPI; access is checked first; an expected failure returned by the handler becomes an error
 * response with its code.
 */
export function defineRoute<C extends RouteContract>(
  app: FastifyInstance,
  ctx: AppContext,
  contract: C,
  handler: RouteHandler<C>,
  extra: Pick<RouteOptions, 'config'> = {},
): void {
  const status = contract.status ?? 200
  app.route({
    method: contract.method,
    url: contract.path,
    config: { ...extra.config, contract },
    ...(contract.bodyLimit ? { bodyLimit: contract.bodyLimit } : {}),
    schema: {
      summary: contract.summary,
      tags: [contract.tag],
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.query ? { querystring: contract.query } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      response: { [status]: contract.response, '4xx': ErrorResponse, '5xx': ErrorResponse },
      ...(contract.access.kind === 'public' ? {} : { security: [{ session: [] }, { bearer: [] }] }),
    },
    onRequest: async (request) => {
      request.authorized = await authorize(ctx, contract.access, request)
    },
    // Before schema validation: a string PostgreSQL cannot store would fail deep in a handler as a
    // 500, and a body nested thousands deep would overflow the validator's recursion.
    preValidation: async (request) => {
      const fields = [
        ...findUnstorable(request.params, 'params'),
        ...findUnstorable(request.query, 'query'),
        ...findUnstorable(request.body, 'body', MAX_BODY_DEPTH),
      ]
      if (fields.length > 0) throw new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field} ${f.message}`).join('; '), { fields })
    },
    handler: async (request, reply) => {
      const authorized = request.authorized ?? { caller: null, scope: null }
      const input = {
        params: request.params,
        query: request.query,
        body: request.body,
        request,
        reply,
        caller: authorized.caller,
        scope: authorized.scope,
      } as unknown as RouteInput<C>
      const result = await handler(input)
      if (!result.ok) throw AppError.from(result)
      return reply.status(status).send(result.value)
    },
  })
}
