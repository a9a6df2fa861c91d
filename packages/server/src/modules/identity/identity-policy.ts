import type { IdentityPolicy } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { moduleState } from '../../platform/modules/module-state.js'
import { TtlCache } from '../../platform/ttl-cache.js'
import { loadIdentityPolicy } from './identifier-types-repository.js'

/** Workspace → its identity rules, kept a few seconds: every ingested batch needs them. */
const POLICIES = Symbol('identity.policies')
const policies = (ctx: AppContext) => moduleState(ctx, POLICIES, () => new TtlCache<string, IdentityPolicy>(5_000, ctx.clock))

/** The workspace's identity rules, from the cache or read with `db` (the caller's transaction). */
export function identityPolicy(ctx: AppContext, workspaceId: string, db: Executor = ctx.db): Promise<IdentityPolicy> {
  return policies(ctx).get(workspaceId, () => loadIdentityPolicy(db, workspaceId))
}

/** A changed rule applies in this process at once (in others within seconds). */
export function forgetIdentityPolicy(ctx: AppContext, workspaceId: string): void {
  policies(ctx).clear((cached) => cached === workspaceId)
}
