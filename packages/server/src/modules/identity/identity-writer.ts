import { createHash, randomUUID } from 'node:crypto'
import { identifierKey, mergeTraits, resolveIdentities, traitsAt, type Identifier, type IdentityPolicy, type KnownProfile, type TraitState } from '@reachloop/domain'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'

/** A 64-bit advisory-lock key for a string, as text for a bigint parameter. */
const lockKey = (text: string): string => createHash('sha256').update(text).digest().readBigInt64BE(0).toString()

/** Takes transaction-level advisory locks in one sorted sweep, so concurrent batches never deadlock. */
async function lockAll(tx: Transaction<DB>, keys: string[]): Promise<void> {
  if (keys.length === 0) return
  const sorted = [...new Set(keys)].sort()
  await sql`SELECT pg_advisory_xact_lock(k) FROM unnest(${sorted}::bigint[]) AS k ORDER BY k`.execute(tx)
}

/**
 * Writes merges, in order: identifiers move to the survivor, merged profiles (and those merged
 * into them before) point to it, and each merge is kept in the history. Chains within one call
 * are flattened to the final survivor. Traits are the caller's business.
 */
export async function writeMerges(tx: Transaction<DB>, workspaceId: string, merges: ReadonlyArray<{ from: string; into: string; messageId: string | null }>, actorLabel: string, now: Date): Promise<void> {
  if (merges.length === 0) return
  // Where each merged profile ends up after all of them (a merge may itself be merged later on).
  const survivorOf = new Map<string, string>()
  for (const m of merges) {
    for (const [from, into] of survivorOf) if (into === m.from) survivorOf.set(from, m.into)
    survivorOf.set(m.from, m.into)
  }
  const froms = [...survivorOf.keys()]
  const intos = froms.map((f) => survivorOf.get(f) ?? f)
  await sql`
    UPDATE profile_identifiers SET profile_id = m.into_id
    FROM unnest(${froms}::uuid[], ${intos}::uuid[]) AS m(from_id, into_id)
    WHERE profile_identifiers.profile_id = m.from_id`.execute(tx)
  await sql`
    UPDATE profiles SET merged_into = m.into_id, updated_at = ${now}
    FROM unnest(${froms}::uuid[], ${intos}::uuid[]) AS m(from_id, into_id)
    WHERE profiles.id = m.from_id OR profiles.merged_into = m.from_id`.execute(tx)
  await tx
    .insertInto('profile_merges')
    .values(merges.map((m) => ({ workspace_id: workspaceId, from_profile_id: m.from, into_profile_id: m.into, message_id: m.messageId, actor_label: actorLabel, merged_at: now })))
    .execute()
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

/**
 * Resolves a batch of events to profiles and writes the outcome in the caller's transaction:
 * new profiles and identifiers, merges (identifiers move to the survivor, the merged profile points
 * to it, history is kept), refusals, and traits by the merge rule. Identifiers and then profiles
 * are locked first, so concurrent batches that touch the same customer take turns.
 */
export async function resolveAndWrite(tx: Transaction<DB>, workspaceId: string, events: ResolvableEvent[], policy: IdentityPolicy, now: Date, options: { concurrentWriters: boolean }): Promise<ResolvedBatch> {
  const all = new Map<string, Identifier>()
  for (const e of events) for (const i of e.identifiers) all.set(identifierKey(i), i)
  const identifiers = [...all.values()]
  // With one connection (PGlite) transactions already run one at a time: locks would only cost time.
  if (options.concurrentWriters) await lockAll(tx, identifiers.map((i) => lockKey(`${workspaceId}|${i.type}|${i.value}`)))

  const ownersOf = async () => {
    if (identifiers.length === 0) return new Set<string>()
    const rows = await sql<{ profile_id: string }>`
      SELECT DISTINCT pi.profile_id FROM profile_identifiers pi
      JOIN unnest(${identifiers.map((i) => i.type)}::text[], ${identifiers.map((i) => i.value)}::text[]) AS wanted(type, value)
        ON pi.type = wanted.type AND pi.value = wanted.value
      WHERE pi.workspace_id = ${workspaceId}`.execute(tx)
    return new Set(rows.rows.map((r) => r.profile_id))
  }
  // Lock the owning profiles too (another batch may be adding to them through other identifiers);
  // a merge committed meanwhile can move an identifier, so read again until the set is stable.
  let owners = await ownersOf()
  const locked = new Set<string>()
  while (options.concurrentWriters && [...owners].some((p) => !locked.has(p))) {
    const fresh = [...owners].filter((p) => !locked.has(p))
    await lockAll(tx, fresh.map((p) => lockKey(`profile|${p}`)))
    for (const p of fresh) locked.add(p)
    owners = await ownersOf()
  }

  const ownerIds = [...owners]
  const [profileRows, identifierRows] = ownerIds.length === 0
    ? [[], []]
    : await Promise.all([
        tx.selectFrom('profiles').select(['id', 'first_seen_at', 'last_seen_at', 'traits', 'trait_times']).where('id', 'in', ownerIds).execute(),
        tx.selectFrom('profile_identifiers').select(['profile_id', 'type', 'value']).where('profile_id', 'in', ownerIds).execute(),
      ])
  const known: KnownProfile[] = profileRows.map((p) => ({
    id: p.id,
    firstSeenAt: p.first_seen_at.getTime(),
    identifiers: identifierRows.filter((i) => i.profile_id === p.id).map((i) => ({ type: i.type, value: i.value })),
  }))
  const usable = events.map((e) => ({ identifiers: e.identifiers.filter((i) => !(policy[i.type]?.blockedValues ?? []).includes(i.value)), at: e.at.getTime() }))
  const resolution = resolveIdentities(usable, { profiles: known }, policy, randomUUID)

  // Traits, first and last seen per surviving profile, replaying the batch in order.
  const state = new Map<string, TraitState & { first: number; last: number }>()
  for (const p of profileRows) state.set(p.id, { traits: (p.traits ?? {}) as Record<string, unknown>, times: (p.trait_times ?? {}) as Record<string, number>, first: p.first_seen_at.getTime(), last: p.last_seen_at.getTime() })
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
    state.set(id, { ...mergeTraits(current, traitsAt(event.traits, at)), first: Math.min(current.first, at), last: Math.max(current.last, at) })
  })

  const createdIds = new Set(resolution.created.map((c) => c.id))
  const created = resolution.created.filter((c) => state.has(c.id) || resolution.merges.some((m) => m.from === c.id))
  if (created.length > 0) {
    await tx
      .insertInto('profiles')
      .values(
        created.map((c) => {
          const s = state.get(c.id) ?? { traits: {}, times: {}, first: c.firstSeenAt, last: c.firstSeenAt }
          return { id: c.id, workspace_id: workspaceId, traits: JSON.stringify(s.traits), trait_times: JSON.stringify(s.times), first_seen_at: new Date(s.first), last_seen_at: new Date(s.last), created_at: now, updated_at: now, merged_into: null }
        }),
      )
      .execute()
  }
  if (resolution.attached.length > 0) {
    await tx
      .insertInto('profile_identifiers')
      .values(resolution.attached.map((a) => ({ workspace_id: workspaceId, type: a.type, value: a.value, profile_id: a.profileId, first_seen_at: now })))
      .execute()
  }
  await writeMerges(tx, workspaceId, resolution.merges.map((m) => ({ from: m.from, into: m.into, messageId: events[m.eventIndex]?.messageId ?? null })), 'ingestion', now)
  const updated = [...state.entries()].filter(([id]) => !createdIds.has(id))
  if (updated.length > 0) {
    await sql`
      UPDATE profiles SET traits = v.traits, trait_times = v.times, first_seen_at = v.first, last_seen_at = v.last, updated_at = ${now}
      FROM unnest(${updated.map(([id]) => id)}::uuid[], ${updated.map(([, s]) => JSON.stringify(s.traits))}::jsonb[], ${updated.map(([, s]) => JSON.stringify(s.times))}::jsonb[],
                  ${updated.map(([, s]) => new Date(s.first).toISOString())}::timestamptz[], ${updated.map(([, s]) => new Date(s.last).toISOString())}::timestamptz[])
        AS v(id, traits, times, first, last)
      WHERE profiles.id = v.id`.execute(tx)
  }
  if (resolution.refusals.length > 0) {
    await tx
      .insertInto('identity_refusals')
      .values(resolution.refusals.map((r) => ({ workspace_id: workspaceId, profile_id: r.profileId, identifier_type: r.dropped.type, identifier_value: r.dropped.value, message_id: events[r.eventIndex]?.messageId ?? null, reason: r.reason, at: now })))
      .execute()
  }
  return { profileOf: resolution.profileOf, merges: resolution.merges.length, refusals: resolution.refusals.length }
}
