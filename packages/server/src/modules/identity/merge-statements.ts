import { PROFILES_MERGED } from '@reachloop/domain'
import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import { appendStatement } from '../../platform/event-log/append.js'

/** How a merge came about: identity resolution while ingesting (the tracking API, imports), or an operator. */
export type MergedBy = 'ingestion' | 'hand'

/** One profile merged into another; `messageId` names the event that caused it (none for a merge by hand). */
export interface Merge {
  from: string
  into: string
  messageId: string | null
}

/** Where each merged profile ends up after all the merges (a merge may itself be merged later on). */
export function finalSurvivors(merges: ReadonlyArray<{ from: string; into: string }>): Map<string, string> {
  const survivorOf = new Map<string, string>()
  for (const m of merges) {
    for (const [from, into] of survivorOf) if (into === m.from) survivorOf.set(from, m.into)
    survivorOf.set(m.from, m.into)
  }
  return survivorOf
}

/**
 * The statements that write merges of existing profiles: their identifiers move to the survivor,
 * they (and those merged into them before) point to it, and each merge is kept in the history.
 * Chains are flattened to the final survivor. Traits are the caller's business.
 */
export function mergeStatements(
  workspaceId: string,
  merges: readonly Merge[],
  by: MergedBy,
  actorLabel: string,
  now: Date,
): RawBuilder<unknown>[] {
  if (merges.length === 0) return []
  const survivorOf = finalSurvivors(merges)
  const froms = [...survivorOf.keys()]
  const intos = froms.map((f) => survivorOf.get(f) ?? f)
  // `= ANY(array)` probes the indexes; a join with unnest() may be planned as a scan of the table.
  return [
    sql`UPDATE profile_identifiers SET profile_id = (${intos}::uuid[])[array_position(${froms}::uuid[], profile_id)]
        WHERE profile_id = ANY(${froms}::uuid[])`,
    sql`UPDATE profiles SET merged_into = (${intos}::uuid[])[array_position(${froms}::uuid[], CASE WHEN id = ANY(${froms}::uuid[]) THEN id ELSE merged_into END)], updated_at = ${now}
        WHERE id = ANY(${froms}::uuid[]) OR merged_into = ANY(${froms}::uuid[])`,
    sql`INSERT INTO profile_merges (workspace_id, from_profile_id, into_profile_id, message_id, actor_label, merged_at)
        SELECT ${workspaceId}, m.from_id, m.into_id, m.message_id, ${actorLabel}, ${now}
        FROM unnest(${merges.map((m) => m.from)}::uuid[], ${merges.map((m) => m.into)}::uuid[], ${merges.map((m) => m.messageId)}::text[]) AS m(from_id, into_id, message_id)`,
    // On the final survivor's timeline, for the audiences engine (every condition may have moved) and for journeys.
    appendStatement(
      { workspaceId, receivedAt: now },
      merges.map((m) => ({
        profileId: survivorOf.get(m.from) ?? m.into,
        messageId: `merge:${m.from}:${m.into}`,
        name: PROFILES_MERGED,
        properties: { merged_profile_id: m.from, by },
        timestamp: now,
      })),
    ),
  ]
}

/** Writes merges of existing profiles (a manual merge), one statement after the other. */
export async function writeMerges(
  tx: Transaction<DB>,
  workspaceId: string,
  merges: readonly Merge[],
  actorLabel: string,
  now: Date,
): Promise<void> {
  for (const statement of mergeStatements(workspaceId, merges, 'hand', actorLabel, now)) await statement.execute(tx)
}
