import { fail, ok, type PasswordChange, type Result } from '@reachloop/domain'
import { recordAudit } from '../audit/audit-service.js'
import type { AppContext } from '../context.js'
import { transact } from '../db/database.js'
import { hashPassword, verifyPassword } from '../crypto/passwords.js'
import { hashSecret } from '../crypto/tokens.js'
import { actorOf, type Caller } from './actor.js'
import { lockedOut, recordFailedPassword } from './auth-service.js'

/**
 * A signed-in user changes their own password, proving the current one. A wrong current password
 * counts as a failed sign-in of their email (the same lockout), so a stolen session cannot guess it.
 * Every other session of the user ends: whoever else held one — perhaps with the old password —
 * is signed out, while the browser that made the change stays signed in. API tokens are kept (they
 * are revoked on their own page, and scripts would otherwise break silently). The change is audited
 * in each workspace the user belongs to, without the passwords.
 */
export async function changePassword(
  ctx: AppContext,
  caller: Caller,
  sessionSecret: string | undefined,
  input: PasswordChange,
  requestId: string | null,
): Promise<Result<{ endedSessions: number }>> {
  if (caller.token || !sessionSecret)
    return fail('PERMISSION_DENIED', 'Change a password from a signed-in session of the console, not with an API token.')
  const now = ctx.clock.now()
  const email = caller.user.email
  const locked = await lockedOut(ctx, email, now)
  if (locked) return locked
  const user = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', caller.user.id).executeTakeFirst()
  if (!(await verifyPassword(input.currentPassword, user?.password_hash ?? null))) {
    await recordFailedPassword(ctx, email, now)
    return fail('WRONG_PASSWORD')
  }
  if (input.newPassword === input.currentPassword)
    return fail('VALIDATION_FAILED', 'body.newPassword must differ from the current password', {
      fields: [{ field: 'body.newPassword', message: 'must differ from the current password' }],
    })
  const passwordHash = await hashPassword(input.newPassword)
  return transact(ctx.db, async (tx) => {
    await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', caller.user.id).execute()
    await tx.deleteFrom('login_attempts').where('email', '=', email).execute()
    const ended = await tx
      .deleteFrom('sessions')
      .where('user_id', '=', caller.user.id)
      .where('token_hash', '!=', hashSecret(sessionSecret))
      .executeTakeFirst()
    const endedSessions = Number(ended.numDeletedRows)
    const workspaces = await tx.selectFrom('memberships').select('workspace_id').where('user_id', '=', caller.user.id).execute()
    for (const w of workspaces)
      await recordAudit(tx, {
        workspaceId: w.workspace_id,
        actor: actorOf(caller),
        action: 'user.password',
        entityType: 'user',
        entityId: caller.user.id,
        after: { endedSessions },
        requestId,
        at: now,
      })
    return ok({ endedSessions })
  })
}
