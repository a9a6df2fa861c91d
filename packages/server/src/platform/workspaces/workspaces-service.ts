import { randomUUID } from 'node:crypto'
import {
  fail,
  isTimeZone,
  ok,
  type Failure,
  type NewWorkspace,
  type Result,
  type Workspace,
  type WorkspaceSettings,
} from '@reachloop/domain'
import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import type { Executor } from '../db/database.js'
import type { Actor, WorkspaceScope } from '../auth/actor.js'
import { recordAudit } from '../audit/audit-service.js'
import { hashPassword } from '../crypto/passwords.js'

type WorkspaceRow = { id: string; name: string; time_zone: string; currency: string; locale: string; created_at: Date }

export const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  currency: r.currency,
  locale: r.locale as Workspace['locale'],
  createdAt: r.created_at.toISOString(),
})

const checkTimeZone = (zone: string | undefined): Failure | undefined =>
  zone === undefined || isTimeZone(zone)
    ? undefined
    : fail('VALIDATION_FAILED', `body.timeZone "${zone}" is not an IANA time zone`, {
        fields: [{ field: 'body.timeZone', message: 'is not an IANA time zone' }],
      })

/** Creates a workspace with `userId` as its owner, audited. */
export async function createWorkspace(
  ctx: AppContext,
  db: Executor,
  input: NewWorkspace,
  owner: { userId: string; actor: Actor; requestId?: string | null },
): Promise<Result<Workspace>> {
  const invalid = checkTimeZone(input.timeZone)
  if (invalid) return invalid
  const now = ctx.clock.now()
  const row = await db
    .insertInto('workspaces')
    .values({
      id: randomUUID(),
      name: input.name,
      created_at: now,
      ...(input.timeZone ? { time_zone: input.timeZone } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await db.insertInto('memberships').values({ workspace_id: row.id, user_id: owner.userId, role: 'owner', created_at: now }).execute()
  const workspace = toWorkspace(row)
  await recordAudit(db, {
    workspaceId: row.id,
    actor: owner.actor,
    action: 'workspace.create',
    entityType: 'workspace',
    entityId: row.id,
    after: workspace,
    requestId: owner.requestId ?? null,
    at: now,
  })
  return ok(workspace)
}

/** The workspaces a user belongs to (and is not disabled in). */
export async function listUserWorkspaces(ctx: AppContext, userId: string): Promise<Workspace[]> {
  const rows = await ctx.db
    .selectFrom('workspaces')
    .innerJoin('memberships', 'memberships.workspace_id', 'workspaces.id')
    .selectAll('workspaces')
    .where('memberships.user_id', '=', userId)
    .where('memberships.disabled', '=', false)
    .orderBy('memberships.created_at')
    .execute()
  return rows.map(toWorkspace)
}

export async function getWorkspace(ctx: AppContext, scope: WorkspaceScope): Promise<Result<Workspace>> {
  const row = await ctx.db.selectFrom('workspaces').selectAll().where('id', '=', scope.workspaceId).executeTakeFirst()
  return row ? ok(toWorkspace(row)) : fail('WORKSPACE_NOT_FOUND')
}

/** Changes the settings given; with none given (`{}`) it changes nothing, records nothing, and answers the workspace as it is. */
export async function updateWorkspace(ctx: AppContext, scope: WorkspaceScope, change: WorkspaceSettings): Promise<Result<Workspace>> {
  const invalid = checkTimeZone(change.timeZone)
  if (invalid) return invalid
  const columns = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.timeZone !== undefined ? { time_zone: change.timeZone } : {}),
    ...(change.currency !== undefined ? { currency: change.currency } : {}),
    ...(change.locale !== undefined ? { locale: change.locale } : {}),
  }
  // An UPDATE without columns is not SQL; a PATCH without fields is a valid request for nothing.
  if (Object.keys(columns).length === 0) return getWorkspace(ctx, scope)
  return transact(ctx.db, async (tx) => {
    const before = await tx.selectFrom('workspaces').selectAll().where('id', '=', scope.workspaceId).forUpdate().executeTakeFirst()
    if (!before) return fail('WORKSPACE_NOT_FOUND')
    const after = await tx
      .updateTable('workspaces')
      .set(columns)
      .where('id', '=', scope.workspaceId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'workspace.update',
      entityType: 'workspace',
      entityId: scope.workspaceId,
      before: toWorkspace(before),
      after: toWorkspace(after),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(toWorkspace(after))
  })
}

export interface OwnerInput {
  email: string
  password: string
  name: string
  workspace: string
}

// Serializes first-run setup so two concurrent requests cannot both create "the first owner".
const SETUP_LOCK_KEY = 72_210_002

/**
 * Creates a user and a workspace they own. With `onlyIfFirst` (the setup page) it refuses once any
 * user exists; the CLI's `create-owner` may add owners later.
 */
export async function createOwner(
  ctx: AppContext,
  input: OwnerInput,
  options: { onlyIfFirst: boolean; actor?: Actor; requestId?: string | null },
): Promise<Result<{ userId: string; workspace: Workspace }>> {
  const email = input.email.trim().toLowerCase()
  const passwordHash = await hashPassword(input.password)
  return transact(ctx.db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK_KEY})`.execute(tx)
    if (options.onlyIfFirst) {
      const any = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()
      if (any) return fail('SETUP_ALREADY_DONE')
    }
    const existing = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    if (existing) return fail('USER_EXISTS', `A user with email ${email} exists already.`)
    const userId = randomUUID()
    const now = ctx.clock.now()
    await tx
      .insertInto('users')
      .values({ id: userId, email, name: input.name, password_hash: passwordHash, created_at: now, last_login_at: null })
      .execute()
    const actor: Actor = options.actor ?? { kind: 'user', id: userId, label: email }
    const created = await createWorkspace(ctx, tx, { name: input.workspace }, { userId, actor, requestId: options.requestId ?? null })
    if (!created.ok) return created
    const workspace = created.value
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actor,
      action: 'user.create',
      entityType: 'user',
      entityId: userId,
      after: { id: userId, email, name: input.name, role: 'owner' },
      requestId: options.requestId ?? null,
      at: now,
    })
    return ok({ userId, workspace })
  })
}
