import { randomUUID } from 'node:crypto'
import { canGrant, fail, ok, type ApiToken, type CreatedApiToken, type NewApiToken, type Result, type Role } from '@reachloop/domain'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import type { Executor } from '../db/database.js'
import type { Actor } from '../auth/actor.js'
import { recordAudit } from '../audit/audit-service.js'
import { hashSecret, randomSecret } from '../crypto/tokens.js'

type TokenRow = { id: string; name: string; role: string; prefix: string; created_by: string; created_at: Date; last_used_at: Date | null }

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
})

export async function listTokens(ctx: AppContext, workspaceId: string): Promise<ApiToken[]> {
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toToken)
}

export interface TokenIssuer {
  workspaceId: string
  userId: string
  role: Role
  actor: Actor
  requestId?: string | null
}

/**
 * Creates an API token acting as `issuer.userId` in the workspace. Its role defaults to, and may
 * not exceed, the issuer's. The secret `rl_<prefix>_<random>` is returned once; only its hash is kept.
 */
export async function createToken(
  ctx: AppContext,
  issuer: TokenIssuer,
  input: NewApiToken,
  db: Executor = ctx.db,
): Promise<Result<CreatedApiToken>> {
  const role = input.role ?? issuer.role
  if (!canGrant(issuer.role, role)) return fail('ROLE_NOT_GRANTABLE', `A ${issuer.role} cannot create a token with the ${role} role.`)
  const prefix = randomSecret(6).slice(0, 8)
  const secret = `rl_${prefix}_${randomSecret(32)}`
  const now = ctx.clock.now()
  const row = await db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      workspace_id: issuer.workspaceId,
      name: input.name,
      role,
      token_hash: hashSecret(secret),
      prefix: `rl_${prefix}`,
      created_by: issuer.userId,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const token = toToken(row)
  await recordAudit(db, {
    workspaceId: issuer.workspaceId,
    actor: issuer.actor,
    action: 'token.create',
    entityType: 'api_token',
    entityId: token.id,
    after: token,
    requestId: issuer.requestId ?? null,
    at: now,
  })
  return ok({ token, secret })
}

export async function revokeToken(
  ctx: AppContext,
  scope: { workspaceId: string; actor: Actor; requestId: string | null },
  tokenId: string,
): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const now = ctx.clock.now()
    const row = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('workspace_id', '=', scope.workspaceId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (!row) return fail('TOKEN_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'token.revoke',
      entityType: 'api_token',
      entityId: tokenId,
      before: toToken(row),
      requestId: scope.requestId,
      at: now,
    })
    return ok({})
  })
}
