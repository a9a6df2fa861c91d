import { fail, ok, ROLE_PERMISSIONS, ROLES, type Failure, type Me, type Result, type Role } from '@reachloop/domain'
import type { AppContext } from '../context.js'
import { verifyPassword } from '../crypto/passwords.js'
import { hashSecret, randomSecret } from '../crypto/tokens.js'
import type { Caller } from './actor.js'

export const SESSION_COOKIE = 'rl_session'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const asRole = (value: string): Role => ((ROLES as readonly string[]).includes(value) ? (value as Role) : 'store_staff')

/** `LOGIN_LOCKED` while an email is locked out after too many wrong passwords, else null. */
export async function lockedOut(ctx: AppContext, email: string, now: Date): Promise<Failure | null> {
  const attempt = await ctx.db.selectFrom('login_attempts').select('locked_until').where('email', '=', email).executeTakeFirst()
  if (!attempt?.locked_until || attempt.locked_until <= now) return null
  const retryAfterSeconds = Math.ceil((attempt.locked_until.getTime() - now.getTime()) / 1000)
  return fail('LOGIN_LOCKED', `Too many failed sign-ins for this email; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
    retryAfterSeconds,
  })
}

/** Counts a wrong password for an email (at sign-in or a password change); the `loginMaxFailures`th in a row locks it. */
export async function recordFailedPassword(ctx: AppContext, email: string, now: Date): Promise<void> {
  const attempt = await ctx.db.selectFrom('login_attempts').selectAll().where('email', '=', email).executeTakeFirst()
  const failures = (attempt && (!attempt.locked_until || attempt.locked_until <= now) ? attempt.failures : 0) + 1
  const lock = failures >= ctx.config.loginMaxFailures
  const lockedUntil = lock ? new Date(now.getTime() + ctx.config.loginLockMinutes * 60_000) : null
  await ctx.db
    .insertInto('login_attempts')
    .values({ email, failures: lock ? 0 : failures, locked_until: lockedUntil, updated_at: now })
    .onConflict((oc) => oc.column('email').doUpdateSet({ failures: lock ? 0 : failures, locked_until: lockedUntil, updated_at: now }))
    .execute()
}

/**
 * Checks email and password, with lockout: after `loginMaxFailures` failures in a row an email is
 * locked for `loginLockMinutes`, whether or not a user has it (so lockout reveals nothing).
 *
 * @returns the new session's secret for the cookie
 */
export async function login(
  ctx: AppContext,
  emailInput: string,
  password: string,
): Promise<Result<{ userId: string; sessionSecret: string }>> {
  const email = emailInput.trim().toLowerCase()
  const now = ctx.clock.now()
  const locked = await lockedOut(ctx, email, now)
  if (locked) return locked
  const user = await ctx.db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', email).executeTakeFirst()
  const valid = await verifyPassword(password, user?.password_hash ?? null)
  if (!valid || !user) {
    await recordFailedPassword(ctx, email, now)
    return fail('INVALID_CREDENTIALS')
  }
  const sessionSecret = randomSecret()
  await ctx.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('login_attempts').where('email', '=', email).execute()
    await tx.deleteFrom('sessions').where('user_id', '=', user.id).where('expires_at', '<', now).execute()
    await tx
      .insertInto('sessions')
      .values({
        token_hash: hashSecret(sessionSecret),
        user_id: user.id,
        created_at: now,
        expires_at: new Date(now.getTime() + ctx.config.sessionDays * 86_400_000),
      })
      .execute()
    await tx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute()
  })
  return ok({ userId: user.id, sessionSecret })
}

/** Starts a session for a user without a password check (right after setup). */
export async function startSession(ctx: AppContext, userId: string): Promise<string> {
  const now = ctx.clock.now()
  const sessionSecret = randomSecret()
  await ctx.db
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(sessionSecret),
      user_id: userId,
      created_at: now,
      expires_at: new Date(now.getTime() + ctx.config.sessionDays * 86_400_000),
    })
    .execute()
  await ctx.db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute()
  return sessionSecret
}

export async function logout(ctx: AppContext, sessionSecret: string | undefined): Promise<void> {
  if (sessionSecret) await ctx.db.deleteFrom('sessions').where('token_hash', '=', hashSecret(sessionSecret)).execute()
}

/**
 * Finds who is calling: a bearer API token, else the session cookie. An unknown or revoked token
 * is refused outright rather than falling back to the cookie.
 */
export async function authenticate(
  ctx: AppContext,
  credentials: { authorization?: string | undefined; sessionSecret?: string | undefined },
): Promise<Result<Caller | null>> {
  const now = ctx.clock.now()
  const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (credentials.authorization !== undefined) {
    if (!bearer) return fail('UNAUTHENTICATED', 'The Authorization header must be "Bearer <API token>".')
    const row = await ctx.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.created_by')
      .innerJoin('memberships', (join) =>
        join.onRef('memberships.user_id', '=', 'api_tokens.created_by').onRef('memberships.workspace_id', '=', 'api_tokens.workspace_id'),
      )
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.workspace_id',
        'api_tokens.role',
        'api_tokens.last_used_at',
        'users.id as user_id',
        'users.email',
        'users.name as user_name',
      ])
      .where('api_tokens.token_hash', '=', hashSecret(bearer))
      .where('api_tokens.revoked_at', 'is', null)
      .where('memberships.disabled', '=', false)
      .executeTakeFirst()
    if (!row) return fail('UNAUTHENTICATED', 'The API token is unknown or revoked.')
    // Writing on every request would make each read a write; a minute's precision is enough.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute()
    }
    return ok({
      user: { id: row.user_id, email: row.email, name: row.user_name },
      token: { id: row.id, name: row.name, workspaceId: row.workspace_id, role: asRole(row.role) },
    })
  }
  if (!credentials.sessionSecret) return ok(null)
  const session = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('sessions.token_hash', '=', hashSecret(credentials.sessionSecret))
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst()
  return ok(session ? { user: { id: session.id, email: session.email, name: session.name }, token: null } : null)
}

/**
 * The workspace a caller acts in and their role there. A token is bound to its workspace; a user
 * picks one with the `x-workspace-id` header, else their first. Another workspace, or one they
 * are disabled in, is "not found" so its existence is not revealed.
 */
export async function resolveWorkspace(
  ctx: AppContext,
  caller: Caller,
  requested: string | undefined,
): Promise<Result<{ workspaceId: string; role: Role } | null>> {
  if (caller.token) {
    if (requested !== undefined && requested !== caller.token.workspaceId) return fail('WORKSPACE_NOT_FOUND')
    return ok({ workspaceId: caller.token.workspaceId, role: caller.token.role })
  }
  if (requested !== undefined && !UUID.test(requested)) return fail('WORKSPACE_NOT_FOUND')
  let query = ctx.db
    .selectFrom('memberships')
    .select(['workspace_id', 'role'])
    .where('user_id', '=', caller.user.id)
    .where('disabled', '=', false)
  if (requested !== undefined) query = query.where('workspace_id', '=', requested)
  const row = await query.orderBy('created_at').limit(1).executeTakeFirst()
  if (!row) return requested === undefined ? ok(null) : fail('WORKSPACE_NOT_FOUND')
  return ok({ workspaceId: row.workspace_id, role: asRole(row.role) })
}

/** What the console needs to know about the caller. */
export async function describeCaller(ctx: AppContext, caller: Caller, current: { workspaceId: string; role: Role } | null): Promise<Me> {
  let workspaces = await ctx.db
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .select(['workspaces.id', 'workspaces.name', 'memberships.role'])
    .where('memberships.user_id', '=', caller.user.id)
    .where('memberships.disabled', '=', false)
    .orderBy('memberships.created_at')
    .execute()
  if (caller.token)
    workspaces = workspaces.filter((w) => w.id === caller.token?.workspaceId).map((w) => ({ ...w, role: caller.token?.role ?? w.role }))
  return {
    user: caller.user,
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: asRole(w.role) })),
    currentWorkspaceId: current?.workspaceId ?? null,
    role: current?.role ?? null,
    permissions: current ? [...ROLE_PERMISSIONS[current.role]] : [],
  }
}
