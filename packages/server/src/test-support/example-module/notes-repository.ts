import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'

/** A note a staff member left on a customer. */
export interface Note {
  id: string
  profileId: string
  text: string
  remindedAt: string | null
}

interface NoteRow {
  id: string
  profile_id: string
  text: string
  reminded_at: Date | null
}

const toNote = (r: NoteRow): Note => ({
  id: String(r.id),
  profileId: r.profile_id,
  text: r.text,
  remindedAt: r.reminded_at?.toISOString() ?? null,
})

// The example's tables are not in the platform's schema types: the module's own SQL reads and writes them.
export async function insertNote(db: Executor, workspaceId: string, profileId: string, text: string, at: Date): Promise<Note> {
  const { rows } = await sql<NoteRow>`
    INSERT INTO profile_notes (workspace_id, profile_id, text, created_at) VALUES (${workspaceId}, ${profileId}, ${text}, ${at})
    RETURNING id, profile_id, text, reminded_at`.execute(db)
  return toNote(rows[0] as NoteRow)
}

export async function notesOf(db: Executor, workspaceId: string, profileId: string): Promise<Note[]> {
  const { rows } = await sql<NoteRow>`
    SELECT id, profile_id, text, reminded_at FROM profile_notes WHERE workspace_id = ${workspaceId} AND profile_id = ${profileId} ORDER BY id`.execute(
    db,
  )
  return rows.map(toNote)
}

export async function markReminded(db: Executor, noteId: string, at: Date): Promise<void> {
  await sql`UPDATE profile_notes SET reminded_at = ${at} WHERE id = ${noteId}`.execute(db)
}

export async function addOrders(db: Executor, workspaceId: string, counts: ReadonlyMap<string, number>): Promise<void> {
  for (const [profileId, n] of counts)
    await sql`INSERT INTO profile_order_tallies (workspace_id, profile_id, orders) VALUES (${workspaceId}, ${profileId}, ${n})
      ON CONFLICT (workspace_id, profile_id) DO UPDATE SET orders = profile_order_tallies.orders + ${n}`.execute(db)
}

export async function ordersOf(db: Executor, workspaceId: string, profileId: string): Promise<number> {
  const { rows } = await sql<{ orders: number }>`
    SELECT orders FROM profile_order_tallies WHERE workspace_id = ${workspaceId} AND profile_id = ${profileId}`.execute(db)
  return rows[0]?.orders ?? 0
}

export async function eraseNotes(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  await sql`DELETE FROM profile_notes WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...profileIds]}::uuid[])`.execute(db)
  await sql`DELETE FROM profile_order_tallies WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${[...profileIds]}::uuid[])`.execute(
    db,
  )
}

/** Merged profiles' notes and order tallies become the survivor's. */
export async function moveToSurvivor(db: Executor, workspaceId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  const merged = [...mergedIds]
  await sql`UPDATE profile_notes SET profile_id = ${survivorId} WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${merged}::uuid[])`.execute(
    db,
  )
  await sql`
    WITH moved AS (
      DELETE FROM profile_order_tallies WHERE workspace_id = ${workspaceId} AND profile_id = ANY(${merged}::uuid[]) RETURNING orders)
    INSERT INTO profile_order_tallies (workspace_id, profile_id, orders)
    SELECT ${workspaceId}, ${survivorId}, sum(orders)::int FROM moved HAVING count(*) > 0
    ON CONFLICT (workspace_id, profile_id) DO UPDATE SET orders = profile_order_tallies.orders + excluded.orders`.execute(db)
}
