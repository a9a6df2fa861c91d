import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify'
import type { AppContext } from '../context.js'
import type { RoutesPlugin } from '../modules/module-manifest.js'
import { auditRoutes } from '../audit/audit-routes.js'
import { authRoutes } from '../auth/auth-routes.js'
import { jobsRoutes } from '../jobs/jobs-routes.js'
import { tokensRoutes } from '../tokens/tokens-routes.js'
import { usersRoutes } from '../users/users-routes.js'
import { workspacesRoutes } from '../workspaces/workspaces-routes.js'
import { installErrorHandlers, isAdminPath, sendError, sendRouterError } from './error-handler.js'
import { healthRoutes } from './health-routes.js'
import { schemaCompiler } from './validators.js'

/** The platform's own routes: sign-in, workspaces, users, tokens, the audit log and the job queues. */
const PLATFORM_ROUTES: readonly RoutesPlugin[] = [authRoutes, workspacesRoutes, usersRoutes, tokensRoutes, auditRoutes, jobsRoutes]

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/** Longest path parameter: an identifier value may be 255 characters (`GET /api/v1/profiles/by-identifier/:type/:value`). */
const MAX_PARAM_LENGTH = 255

/**
 * Builds the HTTP server: admin API, docs, health, and the console's files, with the platform's
 * routes and the modules' `routes` (the runtime passes them). `routeTable` collects every registered
 * route (the tenant-isolation test walks it).
 */
export async function buildApp(
  ctx: AppContext,
  options: { routes: readonly RoutesPlugin[]; routeTable?: RouteOptions[] },
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    forceCloseConnections: 'idle',
    trustProxy: process.env.TRUST_PROXY === 'true',
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, request, reply) => sendRouterError(error, request, reply, MAX_PARAM_LENGTH),
  })
  app.setValidatorCompiler(schemaCompiler())
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // During shutdown, responses to requests still in flight close their connection, so keep-alive
  // clients do not hold the server open after their last answer.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close')
    // Admin answers (data, errors, CSV exports of customers) are per user and often personal: no
    // browser or proxy may keep them. The console's files and the tracking API are cached as before.
    if (isAdminPath(request.url)) reply.header('cache-control', 'no-store')
  })
  app.addHook('onRoute', (route) => {
    options.routeTable?.push(route)
  })
  const consoleIndex = join(ctx.config.consoleDir, 'index.html')
  const hasConsole = existsSync(consoleIndex)
  installErrorHandlers(app, (request, reply) =>
    hasConsole
      ? reply.type('text/html').sendFile('index.html')
      : reply.type('text/html').send('<!doctype html><p>The console is not built. Run <code>npm run build</code>, then reload.</p>'),
  )

  await registerPlugins(app, ctx)

  healthRoutes(app, ctx)
  for (const register of [...PLATFORM_ROUTES, ...options.routes]) register(app, ctx)

  if (hasConsole) {
    // The build writes `.br` and `.gz` beside each file (packages/console/vite.config.ts): sent as they are.
    await app.register(fastifyStatic, {
      root: ctx.config.consoleDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: consoleCaching,
    })
  }
  app.addHook('onRequest', async (request, reply) => {
    if (!ctx.state.ready && request.url !== '/healthz' && request.url !== '/readyz') return sendError(request, reply, 'NOT_READY')
  })
  return app
}

/** A built file whose name carries its content hash (`assets/index-DHWK6PEp.js`, or its `.br` / `.gz`). */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.br|\.gz)?$/

/**
 * The console's caching: a hashed asset never changes under its name, so browsers keep it a year
 * without asking again; everything else (index.html, which names the current assets) is asked
 * again each time (`no-cache`, answered 304 when unchanged).
 */
function consoleCaching(res: { setHeader(name: string, value: string): unknown }, path: string): void {
  res.setHeader('cache-control', HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache')
  res.setHeader('vary', 'accept-encoding')
}

/** Cookies, security headers, rate limits and the API docs. */
async function registerPlugins(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifyCookie)
  // Security headers. Ant Design writes its styles at run time, so inline styles are allowed; scripts only from here.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.publicUrl.startsWith('https://'),
  })
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`), { statusCode: 429 }),
  })
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Reachloop admin API', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rl_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token from the console or `reachloop create-token`' },
        },
      },
    },
  })
  // The viewer's own policy, without upgrade-insecure-requests: many private deployments serve plain HTTP.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
  })
}
