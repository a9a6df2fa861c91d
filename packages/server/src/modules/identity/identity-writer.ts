import { createHash, randomUUID } from 'node:crypto'
import {
  identifierKey,
  mergeTraits,
  PROFILE_CREATED,
  PROFILES_MERGED,
  resolveIdentities,
  traitsAt,
  type Identifier,
  type IdentityPolicy,
  type KnownProfile,
  type TraitState,
} from '@reachloop/domain'
import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'

/** A 64-bit advisory-lock key for a string, as text for a bigint parameter. */
const lockKey = (text: string): string => createHash('sha256').update(text).digest().readBigInt64BE(0).toString()

/** Takes transaction-level advisory locks in one sorted sweep, so concurrent batches never deadlock. */
async function lockAll(tx: Transaction<DB>, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  const sorted = [...new Set(keys)].sort()
  await sql`SELECT pg_advisory_xact_lock(k) FROM unnest(${sorted}::bigint[]) AS k ORDER BY k`.execute(tx)
}

/** Where each merged profile ends up after all the merges (a merge may itself be merged later on). */
function survivorsOf(merges: ReadonlyArray<{ from: string; into: string }>): Map<string, string> {
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
function mergeStatements(
  workspaceId: string,
  merges: ReadonlyArray<{ from: string; into: string; messageId: string | null }>,
  by: MergedBy,
  actorLabel: string,
  now: Date,
): RawBuilder<unknown>[] {
  if (merges.length === 0) return []
  const survivorOf = survivorsOf(merges)
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
    internalEvents(
      workspaceId,
      merges.map((m) => ({
        profileId: survivorOf.get(m.from) ?? m.into,
        messageId: `merge:${m.from}:${m.into}`,
        name: PROFILES_MERGED,
        properties: { merged_profile_id: m.from, by },
        timestamp: now,
      })),
      now,
    ),
  ]
}

/** How a merge came about: identity resolution while ingesting (the tracking API, imports), or an operator. */
export type MergedBy = 'ingestion' | 'hand'

/** Appends internal events (no source, no traits) to the log in one statement. */
function internalEvents(
  workspaceId: string,
  rows: ReadonlyArray<{ profileId: string; messageId: string; name: string; properties: Record<string, unknown>; timestamp: Date }>,
  now: Date,
): RawBuilder<unknown> {
  const json = rows.map((r) => ({
    profile_id: r.profileId,
    message_id: r.messageId,
    name: r.name,
    properties: r.properties,
    timestamp: r.timestamp,
  }))
  return sql`
    INSERT INTO events (workspace_id, received_at, type, profile_id, message_id, name, properties, timestamp)
    SELECT ${workspaceId}, ${now}, 'track', r.* FROM json_to_recordset(${JSON.stringify(json)}::json) AS r(profile_id uuid, message_id text, name text, properties jsonb, timestamp timestamptz)`
}

/** Writes merges of existing profiles (a manual merge), one statement after the other. */
export async function writeMerges(
  tx: Transaction<DB>,
  workspaceId: string,
  merges: ReadonlyArray<{ from: string; into: string; messageId: string | null }>,
  actorLabel: string,
  now: Date,
): Promise<void> {
  for (const statement of mergeStatements(workspaceId, merges, 'hand', actorLabel, now)) await statement.execute(tx)
}

/** Runs statements as one: each in a `WITH` clause of the last (they see the same snapshot, not each other's rows). */
async function runTogether(tx: Transaction<DB>, statements: RawBuilder<unknown>[]): Promise<void> {
  const last = statements.at(-1)
  if (!last) return
  const ctes = statements.slice(0, -1).map((statement, i) => sql`${sql.id(`w${i}`)} AS (${statement})`)
  await (ctes.length === 0 ? last : sql`WITH ${sql.join(ctes)} ${last}`).execute(tx)
}

/** One event to resolve: its identifiers, time and traits. */
export interface ResolvableEvent {
  identifiers: Identifier[]
  at: Date
  traits: Record<string, unknown>
  messageId: string
}

/** What resolution decided, for the caller to stamp on the events. */
export interface ResolvedBatch {
  profileOf: string[]
  merges: number
  refusals: number
}

/** A profile that owns some of a batch's identifiers, with all of its identifiers. */
interface OwnerRow {
  id: string
  first_seen_at: Date
  last_seen_at: Date
  traits: Record<string, unknown> | null
  trait_times: Record<string, number> | null
  identifiers: Array<[string, string]>
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
 * Resolves a batch of events to profiles and writes the outcome in the caller's transaction:
 * new profiles and identifiers, merges (identifiers move to the survivor, the merged profile points
 * to it, history is kept), refusals, and traits by the merge rule. Identifiers and then profiles
 * are locked first, so concurrent batches that touch the same customer take turns. All writes go
 * in one statement, with the caller's `append` (the events, stamped with their profiles) last.
 */
export async function resolveAndWrite(
  tx: Transaction<DB>,
  workspaceId: string,
  events: ResolvableEvent[],
  policy: IdentityPolicy,
  now: Date,
  options: { append?: (profileOf: string[]) => RawBuilder<unknown> },
): Promise<ResolvedBatch> {
  const all = new Map<string, Identifier>()
  for (const e of events) for (const i of e.identifiers) all.set(identifierKey(i), i)
  const identifiers = [...all.values()]
  await lockAll(
    tx,
    identifiers.map((i) => lockKey(`${workspaceId}|${i.type}|${i.value}`)),
  )

  // Lock the owning profiles too (another batch may be adding to them through other identifiers);
  // a merge committed meanwhile can move an identifier, so read again until the set is stable.
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

  const known: KnownProfile[] = owners.map((p) => ({
    id: p.id,
    firstSeenAt: p.first_seen_at.getTime(),
    identifiers: (p.identifiers ?? []).map(([type, value]) => ({ type, value })),
  }))
  const usable = events.map((e) => ({
    identifiers: e.identifiers.filter((i) => !(policy[i.type]?.blockedValues ?? []).includes(i.value)),
    at: e.at.getTime(),
  }))
  const resolution = resolveIdentities(usable, { profiles: known }, policy, randomUUID)

  // Traits, first and last seen per surviving profile, replaying the batch in order.
  const state = new Map<string, TraitState & { first: number; last: number }>()
  for (const p of owners)
    state.set(p.id, {
      traits: p.traits ?? {},
      times: p.trait_times ?? {},
      first: p.first_seen_at.getTime(),
      last: p.last_seen_at.getTime(),
    })
  for (const c of resolution.created) state.set(c.id, { traits: {}, times: {}, first: c.firstSeenAt, last: c.firstSeenAt })
  const mergesAt = new Map<number, typeof resolution.merges>()
  for (const m of resolution.merges) mergesAt.set(m.eventIndex, [...(mergesAt.get(m.eventIndex) ?? []), m])
  events.forEach((event, i) => {
    for (const m of mergesAt.get(i) ?? []) {
      const from = state.get(m.from)
      const into = state.get(m.into)
      if (!from || !into) continue
      state.set(m.into, { ...mergeTraits(into, from), first: Math.min(into.first, from.first), last: Math.max(into.last, from.last) })
      state.delete(m.from)
    }
    const id = resolution.profileOf[i]!
    const current = state.get(id)
    if (!current) return
    const at = event.at.getTime()
    state.set(id, {
      ...mergeTraits(current, traitsAt(event.traits, at)),
      first: Math.min(current.first, at),
      last: Math.max(current.last, at),
    })
  })

  // One statement sees one snapshot, not its own rows: profiles created and merged away in this
  // batch are inserted already pointing to their survivor, and new identifiers go straight to the
  // survivor; the merge statements then move what existed before.
  const survivorOf = survivorsOf(resolution.merges)
  const createdIds = new Set(resolution.created.map((c) => c.id))
  const created = resolution.created.filter((c) => state.has(c.id) || survivorOf.has(c.id))
  const statements: RawBuilder<unknown>[] = []
  if (created.length > 0) {
    const rows = created.map((c) => {
      const s = state.get(c.id) ?? { traits: {}, times: {}, first: c.firstSeenAt, last: c.firstSeenAt }
      return {
        id: c.id,
        traits: s.traits,
        trait_times: s.times,
        first_seen_at: new Date(s.first),
        last_seen_at: new Date(s.last),
        merged_into: survivorOf.get(c.id) ?? null,
      }
    })
    statements.push(sql`
      INSERT INTO profiles (workspace_id, created_at, updated_at, id, traits, trait_times, first_seen_at, last_seen_at, merged_into)
      SELECT ${workspaceId}, ${now}, ${now}, r.* FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(id uuid, traits jsonb, trait_times jsonb, first_seen_at timestamptz, last_seen_at timestamptz, merged_into uuid)`)
  }
  if (resolution.attached.length > 0) {
    const { attached } = resolution
    statements.push(sql`
      INSERT INTO profile_identifiers (workspace_id, first_seen_at, type, value, profile_id)
      SELECT ${workspaceId}, ${now}, a.* FROM unnest(${attached.map((a) => a.type)}::text[], ${attached.map((a) => a.value)}::text[], ${attached.map((a) => survivorOf.get(a.profileId) ?? a.profileId)}::uuid[]) AS a(type, value, profile_id)`)
  }
  const mergesOfExisting = resolution.merges.map((m) => ({
    from: m.from,
    into: m.into,
    messageId: events[m.eventIndex]?.messageId ?? null,
  }))
  statements.push(...mergeStatements(workspaceId, mergesOfExisting, 'ingestion', 'ingestion', now))
  const updated = [...state.entries()].filter(([id]) => !createdIds.has(id))
  if (updated.length > 0) {
    const rows = updated.map(([id, s]) => ({ id, traits: s.traits, times: s.times, first: new Date(s.first), last: new Date(s.last) }))
    statements.push(sql`
      UPDATE profiles SET traits = v.traits, trait_times = v.times, first_seen_at = v.first, last_seen_at = v.last, updated_at = ${now}
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS v(id uuid, traits jsonb, times jsonb, first timestamptz, last timestamptz)
      WHERE profiles.id = v.id AND profiles.id = ANY(${rows.map((r) => r.id)}::uuid[])`)
  }
  if (resolution.refusals.length > 0) {
    const rows = resolution.refusals.map((r) => ({
      profile_id: r.profileId,
      identifier_type: r.dropped.type,
      identifier_value: r.dropped.value,
      message_id: events[r.eventIndex]?.messageId ?? null,
      reason: r.reason,
    }))
    statements.push(sql`
      INSERT INTO identity_refusals (workspace_id, at, profile_id, identifier_type, identifier_value, message_id, reason)
      SELECT ${workspaceId}, ${now}, r.* FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(profile_id uuid, identifier_type text, identifier_value text, message_id text, reason text)`)
  }
  if (options.append) statements.push(options.append(resolution.profileOf))
  // New profiles that survive the batch start their timeline (audiences an empty profile is in take
  // them in): written first, so at the same time as the first event it comes before it in the log.
  const born = created.filter((c) => !survivorOf.has(c.id))
  if (born.length > 0) {
    await internalEvents(
      workspaceId,
      born.map((c) => ({
        profileId: c.id,
        messageId: `created:${c.id}`,
        name: PROFILE_CREATED,
        properties: {},
        timestamp: new Date(state.get(c.id)?.first ?? c.firstSeenAt),
      })),
      now,
    ).execute(tx)
  }
  await runTogether(tx, statements)
  return { profileOf: resolution.profileOf, merges: resolution.merges.length, refusals: resolution.refusals.length }
}
