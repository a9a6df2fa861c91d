import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import type { ProfileErasure } from '../../platform/modules/module-manifest.js'
import { eraseQuarantinedNaming } from './quarantine-repository.js'
import { forgetSuppressions, suppress } from './suppression-list.js'

/**
 * Ingest's part of an erasure: the customer's identifiers go on the suppression list (as hashes), so
 * nothing about them is ingested again, and quarantined payloads that name one of them go too.
 */
export async function eraseFromIngest(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void> {
  const { ctx, workspaceId, identifiers } = erasure
  if (identifiers.length > 0) {
    await suppress(tx, workspaceId, identifiers, ctx.clock.now())
    await eraseQuarantinedNaming(
      tx,
      workspaceId,
      identifiers.map((i) => i.value),
    )
  }
  erasure.afterCommit(() => forgetSuppressions(ctx, workspaceId))
}
