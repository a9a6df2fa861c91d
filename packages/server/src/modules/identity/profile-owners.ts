import { createHash } from 'node:crypto'
import type { Identifier } from '@reachloop/domain'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'

/** A profile that owns some of a batch's identifiers, with all of its identifiers. */
export interface OwnerRow {
  id: string
  first_seen_at: Date
  last_seen_at: Date
  traits: Record<string, unknown> | null
  trait_times: Record<string, number> | null
  identifiers: Array<[string, string]>
}

/** A 64-bit advisory-lock key for a string, as text for a bigint parameter. */
const lockKey = (text: string): string => createHash('sha256').update(text).digest().readBigInt64BE(0).toString()

/** Takes transaction-level advisory locks in one sorted sweep, so concurrent batches never deadlock. */
async function lockAll(tx: Transaction<DB>, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  const sorted = [...new Set(keys)].sort()
  await sql`SELECT pg_advisory_xact_lock(k) FROM unnest(${sorted}::bigint[]) AS k ORDER BY k`.execute(tx)
}

/**
 * The profiles that own any of the identifiers, with their identifiers, in one statement: one
 * primary-key probe per identifier (LIMIT 1 keeps the planner from turning it into a hash join that
 * scans the whole table once it has grown).
 */
async function loadOwners(tx: Transaction<DB>, workspaceId: string, identifiers: Identifier[]): Promise<OwnerRow[]> {
  if (identifiers.length === 0) return []
  const { rows } = await sql<OwnerRow>`
    SELECT p.id, p.first_seen_at, p.last_seen_at, p.traits, p.trait_times,
           (SELECT json_agg(json_build_array(pi.type, pi.value)) FROM profile_identifiers pi WHERE pi.profile_id = p.id) AS identifiers
    FROM profiles p
    WHERE p.id IN (
      SELECT found.profile_id
      FROM unnest(${identifiers.map((i) => i.type)}::text[], ${identifiers.map((i) => i.value)}::text[]) AS wanted(type, value)
      CROSS JOIN LATERAL (
        SELECT pi.profile_id FROM profile_identifiers pi
        WHERE pi.workspace_id = ${workspaceId} AND pi.type = wanted.type AND pi.value = wanted.value
        LIMIT 1
      ) AS found)`.execute(tx)
  return rows
}

/**
 * Locks a batch's identifiers, then the profiles that own them (another batch may be adding to them
 * through other identifiers), and returns those owners. A merge committed meanwhile can move an
 * identifier, so they are read again until the set is stable. Concurrent batches that touch the
 * same customer take turns.
 */
export async function lockOwners(tx: Transaction<DB>, workspaceId: string, identifiers: Identifier[]): Promise<OwnerRow[]> {
  await lockAll(
    tx,
    identifiers.map((i) => lockKey(`${workspaceId}|${i.type}|${i.value}`)),
  )
  let owners = await loadOwners(tx, workspaceId, identifiers)
  const locked = new Set<string>()
  while (owners.some((p) => !locked.has(p.id))) {
    const fresh = owners.filter((p) => !locked.has(p.id)).map((p) => p.id)
    await lockAll(
      tx,
      fresh.map((p) => lockKey(`profile|${p}`)),
    )
    for (const p of fresh) locked.add(p)
    owners = await loadOwners(tx, workspaceId, identifiers)
  }
  return owners
}
