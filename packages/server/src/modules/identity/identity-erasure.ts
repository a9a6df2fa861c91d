import type { Transaction } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import type { DB } from '../../platform/db/schema.js'
import type { ProfileErasure } from '../../platform/modules/module-manifest.js'
import { eraseIdentifiers, identifiersOfProfiles } from './identifier-repository.js'
import { eraseMergeHistory } from './merge-repository.js'
import { eraseProfileRows } from './profile-repository.js'
import { survivorOf, withMergedIds } from './survivors.js'

/** A customer as erasure sees it: the survivor, every profile merged into it (itself included), and the identifiers they hold. */
export interface Customer {
  survivorId: string
  profileIds: string[]
  identifiers: Array<{ type: string; value: string }>
}

/** The customer a profile id of the workspace belongs to (a merged profile leads to its survivor), or undefined. */
export async function customerOf(db: Executor, workspaceId: string, profileId: string): Promise<Customer | undefined> {
  const survivorId = await survivorOf(db, workspaceId, profileId)
  if (!survivorId) return undefined
  const profileIds = await withMergedIds(db, workspaceId, [survivorId])
  const identifiers = (await identifiersOfProfiles(db, profileIds)).map((i) => ({ type: i.type, value: i.value }))
  return { survivorId, profileIds, identifiers }
}

/** Identity's part of an erasure: the merges and refusals about the customer, its identifiers, then its profiles. */
export async function eraseIdentity(tx: Transaction<DB>, erasure: ProfileErasure): Promise<void> {
  await eraseMergeHistory(
    tx,
    erasure.workspaceId,
    erasure.profileIds,
    erasure.identifiers.map((i) => i.value),
  )
  await eraseIdentifiers(tx, erasure.workspaceId, erasure.profileIds)
  await eraseProfileRows(tx, erasure.profileIds)
}
