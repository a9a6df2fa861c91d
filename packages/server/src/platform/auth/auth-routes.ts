import { ok, routes } from '@reachloop/domain'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppContext } from '../context.js'
import { defineRoute } from '../http/define-route.js'
import { createOwner } from '../workspaces/workspaces-service.js'
import { describeCaller, login, logout, resolveWorkspace, SESSION_COOKIE, startSession } from './auth-service.js'
import type { Caller } from './actor.js'
import { changePassword } from './password-change.js'

// Sign-in and setup are public: an attacker's guesses are slowed per address here and per email by the lockout.
const publicLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } }

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const setCookie = (reply: FastifyReply, secret: string) =>
    reply.setCookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.publicUrl.startsWith('https://'),
      path: '/',
      maxAge: ctx.config.sessionDays * 86_400,
    })

  const meOf = async (caller: Caller, header: unknown) => {
    const current = await resolveWorkspace(ctx, caller, typeof header === 'string' ? header : undefined)
    return describeCaller(ctx, caller, current.ok ? current.value : null)
  }

  defineRoute(app, ctx, routes.getSetup, async () => {
    const any = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst()
    return ok({ needed: any === undefined })
  })

  defineRoute(
    app,
    ctx,
    routes.runSetup,
    async ({ body, reply, request }) => {
      const created = await createOwner(ctx, body, { onlyIfFirst: true, requestId: request.id })
      if (!created.ok) return created
      setCookie(reply, await startSession(ctx, created.value.userId))
      const user = { id: created.value.userId, email: body.email.trim().toLowerCase(), name: body.name }
      return ok(await describeCaller(ctx, { user, token: null }, { workspaceId: created.value.workspace.id, role: 'owner' }))
    },
    { config: publicLimit },
  )

  defineRoute(
    app,
    ctx,
    routes.login,
    async ({ body, reply, request }) => {
      const result = await login(ctx, body.email, body.password)
      if (!result.ok) return result
      setCookie(reply, result.value.sessionSecret)
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'email', 'name'])
        .where('id', '=', result.value.userId)
        .executeTakeFirstOrThrow()
      return ok(await meOf({ user, token: null }, request.headers['x-workspace-id']))
    },
    { config: publicLimit },
  )

  defineRoute(app, ctx, routes.logout, async ({ request, reply }) => {
    await logout(ctx, request.cookies[SESSION_COOKIE])
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return ok({})
  })

  // A wrong current password counts against the email's lockout; the address limit slows guesses further.
  defineRoute(
    app,
    ctx,
    routes.changePassword,
    ({ caller, body, request }) => changePassword(ctx, caller, request.cookies[SESSION_COOKIE], body, request.id),
    { config: publicLimit },
  )

  defineRoute(app, ctx, routes.getMe, async ({ caller, request }) => ok(await meOf(caller, request.headers['x-workspace-id'])))
}
