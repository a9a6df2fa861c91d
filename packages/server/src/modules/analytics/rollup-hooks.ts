import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import type { ProfileErasure, ProfilesMerge } from '../../platform/modules/module-manifest.js'
import { addDailyValues, eraseActiveDays, moveActiveDays, removeCustomers } from './rollups-repository.js'

/**
 * A merge, in its transaction: the merged profiles' active days are the survivor's at once, so a
 * customer active on both of them counts once. (That they stop counting as customers is read from
 * the merge's event in the log, in order after their creation: see the consumer.)
 */
export async function rollupsOnMerge(tx: Transaction<DB>, merge: ProfilesMerge): Promise<void> {
  await moveActiveDays(
    tx,
    merge.workspaceId,
    merge.mergedIds.map((mergedId) => ({ mergedId, survivorId: merge.survivorId })),
  )
}

/**
 * An erasure, in its transaction: the customer's active days go, and they leave the count of their
 * first day, as if never seen. The days' event counts, orders and revenue stay: they are sums that
 * say nothing about the person.
 */
export async function rollupsOnErasure(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void> {
  const { workspaceId, profileIds } = erasure
  await eraseActiveDays(tx, workspaceId, profileIds)
  const byDay = new Map<string, number>()
  for (const removed of await removeCustomers(tx, workspaceId, profileIds)) byDay.set(removed.day, (byDay.get(removed.day) ?? 0) - 1)
  await addDailyValues(
    tx,
    [...byDay].map(([day, value]) => ({ workspaceId, metric: 'customers_new' as const, day, key: '', value })),
  )
}
