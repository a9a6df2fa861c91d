import { createHash } from 'node:crypto'
import type { AppContext } from '../../platform/context.js'
import type { Executor } from '../../platform/db/database.js'
import { moduleState } from '../../platform/modules/module-state.js'
import { TtlCache } from '../../platform/ttl-cache.js'

/**
 * The suppression list: identifiers of erased customers, kept as hashes so nothing about them is
 * ingested again. This file is the only code that reads or writes `suppressions`.
 */

/** SHA-256 of `type:value`, the form the suppression list keeps. */
export const suppressionHash = (type: string, value: string) => createHash('sha256').update(`${type}:${value}`).digest('hex')

/** Workspace → whether it has suppressed identifiers at all (most never do), kept a few seconds. */
const ANY_SUPPRESSED = Symbol('ingest.suppressions')
const anySuppressedCache = (ctx: AppContext) => moduleState(ctx, ANY_SUPPRESSED, () => new TtlCache<string, boolean>(5_000, ctx.clock))

/** Which of the hashes the workspace's suppression list holds (read with `db`, the caller's transaction). */
export async function suppressedHashes(
  ctx: AppContext,
  db: Executor,
  workspaceId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const anySuppressed = await anySuppressedCache(ctx).get(
    workspaceId,
    async () =>
      (await db
        .selectFrom('suppressions')
        .select('identifier_hash')
        .where('workspace_id', '=', workspaceId)
        .limit(1)
        .executeTakeFirst()) !== undefined,
  )
  if (hashes.length === 0 || !anySuppressed) return new Set()
  const rows = await db
    .selectFrom('suppressions')
    .select('identifier_hash')
    .where('workspace_id', '=', workspaceId)
    .where('identifier_hash', 'in', [...hashes])
    .execute()
  return new Set(rows.map((r) => r.identifier_hash))
}

/** Puts identifiers on the workspace's suppression list. */
export async function suppress(
  db: Executor,
  workspaceId: string,
  identifiers: ReadonlyArray<{ type: string; value: string }>,
  at: Date,
): Promise<void> {
  if (identifiers.length === 0) return
  await db
    .insertInto('suppressions')
    .values(identifiers.map((i) => ({ workspace_id: workspaceId, identifier_hash: suppressionHash(i.type, i.value), created_at: at })))
    .onConflict((oc) => oc.columns(['workspace_id', 'identifier_hash']).doNothing())
    .execute()
}

/** Forgets what the cache knows of a workspace's list: after an erasure commits, so no request keeps "nothing suppressed" from before it. */
export function forgetSuppressions(ctx: AppContext, workspaceId: string): void {
  anySuppressedCache(ctx).clear((cached) => cached === workspaceId)
}
