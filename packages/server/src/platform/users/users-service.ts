import { randomUUID } from 'node:crypto'
import { canGrant, fail, ok, type NewUser, type Result, type Role, type User, type UserChange } from '@reachloop/domain'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import type { Executor } from '../db/database.js'
import type { WorkspaceScope } from '../auth/actor.js'
import { recordAudit } from '../audit/audit-service.js'
import { hashPassword } from '../crypto/passwords.js'

const userColumns = [
  'users.id',
  'users.email',
  'users.name',
  'users.created_at',
  'users.last_login_at',
  'memberships.role',
  'memberships.disabled',
] as const

type UserRow = { id: string; email: string; name: string; created_at: Date; last_login_at: Date | null; role: string; disabled: boolean }

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  disabled: r.disabled,
  createdAt: r.created_at.toISOString(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
})

const findUser = (db: Executor, workspaceId: string, userId: string) =>
  db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(userColumns)
    .where('memberships.workspace_id', '=', workspaceId)
    .where('users.id', '=', userId)
    .executeTakeFirst()

export async function listUsers(ctx: AppContext, scope: WorkspaceScope): Promise<User[]> {
  const rows = await ctx.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(userColumns)
    .where('memberships.workspace_id', '=', scope.workspaceId)
    .orderBy('memberships.created_at')
    .execute()
  return rows.map(toUser)
}

export async function getUser(ctx: AppContext, scope: WorkspaceScope, userId: string): Promise<Result<User>> {
  const row = await findUser(ctx.db, scope.workspaceId, userId)
  return row ? ok(toUser(row)) : fail('USER_NOT_FOUND')
}

/** Adds a user to the workspace, creating the account when the email is new (a password is then required). */
export async function createUser(ctx: AppContext, scope: WorkspaceScope, input: NewUser): Promise<Result<User>> {
  if (!canGrant(scope.role, input.role)) return fail('ROLE_NOT_GRANTABLE', `A ${scope.role} cannot grant the ${input.role} role.`)
  const email = input.email.trim().toLowerCase()
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password)
  return transact(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    let user = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    if (!user) {
      if (passwordHash === undefined) {
        return fail('VALIDATION_FAILED', 'body.password is required for a new user', {
          fields: [{ field: 'body.password', message: 'is required for a new user' }],
        })
      }
      user = { id: randomUUID() }
      await tx
        .insertInto('users')
        .values({ id: user.id, email, name: input.name, password_hash: passwordHash, created_at: now, last_login_at: null })
        .execute()
    }
    const added = await tx
      .insertInto('memberships')
      .values({ workspace_id: scope.workspaceId, user_id: user.id, role: input.role, created_at: now })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (!added) return fail('USER_EXISTS')
    const created = toUser((await findUser(tx, scope.workspaceId, user.id))!)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      after: created,
      requestId: scope.requestId,
      at: now,
    })
    return ok(created)
  })
}

const ownerCount = async (db: Executor, workspaceId: string): Promise<number> => {
  const rows = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .where('disabled', '=', false)
    .execute()
  return rows.length
}

/** Changes a member's role or disabled state in this workspace. Owners are changed only by owners; the last owner stays. */
export async function updateUser(ctx: AppContext, scope: WorkspaceScope, userId: string, change: UserChange): Promise<Result<User>> {
  return transact(ctx.db, async (tx) => {
    const beforeRow = await findUser(tx, scope.workspaceId, userId)
    if (!beforeRow) return fail('USER_NOT_FOUND')
    const before = toUser(beforeRow)
    if (before.role === 'owner' && scope.role !== 'owner') return fail('ROLE_NOT_GRANTABLE', 'Only an owner can change an owner.')
    if (change.role !== undefined && !canGrant(scope.role, change.role))
      return fail('ROLE_NOT_GRANTABLE', `A ${scope.role} cannot grant the ${change.role} role.`)
    const losesOwner = before.role === 'owner' && ((change.role !== undefined && change.role !== 'owner') || change.disabled === true)
    if (losesOwner && (await ownerCount(tx, scope.workspaceId)) <= 1) return fail('LAST_OWNER')
    if (change.role !== undefined || change.disabled !== undefined) {
      await tx
        .updateTable('memberships')
        .set({
          ...(change.role !== undefined ? { role: change.role } : {}),
          ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        })
        .where('workspace_id', '=', scope.workspaceId)
        .where('user_id', '=', userId)
        .execute()
    }
    const after = toUser((await findUser(tx, scope.workspaceId, userId))!)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'user.update',
      entityType: 'user',
      entityId: userId,
      before,
      after,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(after)
  })
}

/** Removes a member from the workspace (the account stays for their other workspaces); their tokens here are revoked. */
export async function removeUser(ctx: AppContext, scope: WorkspaceScope, userId: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const beforeRow = await findUser(tx, scope.workspaceId, userId)
    if (!beforeRow) return fail('USER_NOT_FOUND')
    const before = toUser(beforeRow)
    if (before.role === 'owner' && scope.role !== 'owner') return fail('ROLE_NOT_GRANTABLE', 'Only an owner can remove an owner.')
    if (before.role === 'owner' && (await ownerCount(tx, scope.workspaceId)) <= 1) return fail('LAST_OWNER')
    const now = ctx.clock.now()
    await tx.deleteFrom('memberships').where('workspace_id', '=', scope.workspaceId).where('user_id', '=', userId).execute()
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('workspace_id', '=', scope.workspaceId)
      .where('created_by', '=', userId)
      .where('revoked_at', 'is', null)
      .execute()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'user.remove',
      entityType: 'user',
      entityId: userId,
      before,
      requestId: scope.requestId,
      at: now,
    })
    return ok({})
  })
}
