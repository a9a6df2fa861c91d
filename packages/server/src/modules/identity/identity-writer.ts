import { randomUUID } from 'node:crypto'
import {
  identifierKey,
  mergeTraits,
  PROFILE_CREATED,
  resolveIdentities,
  traitsAt,
  type Identifier,
  type IdentityPolicy,
  type KnownProfile,
  type TraitState,
} from '@reachloop/domain'
import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import { appendStatement } from '../../platform/event-log/append.js'
import { finalSurvivors, mergeStatements } from './merge-statements.js'
import { lockOwners, type OwnerRow } from './profile-owners.js'

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
  /** Each survivor of the batch's merges and the profiles merged into it (for the modules' `onProfilesMerged`). */
  merged: Array<{ survivorId: string; mergedIds: string[] }>
}

type Resolution = ReturnType<typeof resolveIdentities>
/** A surviving profile's traits and first and last seen (epoch ms) as the batch leaves them. */
type ProfileState = TraitState & { first: number; last: number }

/** Traits, first and last seen per surviving profile, replaying the batch in order (merges first at each event). */
function replayTraits(events: readonly ResolvableEvent[], owners: readonly OwnerRow[], resolution: Resolution): Map<string, ProfileState> {
  const state = new Map<string, ProfileState>()
  for (const p of owners)
    state.set(p.id, {
      traits: p.traits ?? {},
      times: p.trait_times ?? {},
      first: p.first_seen_at.getTime(),
      last: p.last_seen_at.getTime(),
    })
  for (const c of resolution.created) state.set(c.id, { traits: {}, times: {}, first: c.firstSeenAt, last: c.firstSeenAt })
  const mergesAt = new Map<number, Resolution['merges']>()
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
  return state
}

/**
 * The statements that write a resolved batch. One statement sees one snapshot, not its own rows:
 * profiles created and merged away in this batch are inserted already pointing to their survivor,
 * and new identifiers go straight to the survivor; the merge statements then move what existed before.
 */
function batchStatements(
  workspaceId: string,
  events: readonly ResolvableEvent[],
  resolution: Resolution,
  state: Map<string, ProfileState>,
  now: Date,
): RawBuilder<unknown>[] {
  const survivorOf = finalSurvivors(resolution.merges)
  const createdIds = new Set(resolution.created.map((c) => c.id))
  const created = resolution.created.filter((c) => state.has(c.id) || survivorOf.has(c.id))
  const statements: RawBuilder<unknown>[] = []
  if (created.length > 0) {
    const rows = created.map((c) => {
      const s = state.get(c.id) ?? { traits: {}, times: {}, first: c.firstSeenAt, last: c.firstSeenAt }
      const seen = { first_seen_at: new Date(s.first), last_seen_at: new Date(s.last) }
      return { id: c.id, traits: s.traits, trait_times: s.times, ...seen, merged_into: survivorOf.get(c.id) ?? null }
    })
    statements.push(sql`
      INSERT INTO profiles (workspace_id, created_at, updated_at, id, traits, trait_times, first_seen_at, last_seen_at, merged_into)
      SELECT ${workspaceId}, ${now}, ${now}, r.* FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(id uuid, traits jsonb, trait_times jsonb, first_seen_at timestamptz, last_seen_at timestamptz, merged_into uuid)`)
  }
  if (resolution.attached.length > 0) {
    const { attached } = resolution
    statements.push(sql`
      INSERT INTO profile_identifiers (workspace_id, type, value, profile_id, first_seen_at)
      SELECT ${workspaceId}, a.* FROM unnest(${attached.map((a) => a.type)}::text[], ${attached.map((a) => a.value)}::text[], ${attached.map((a) => survivorOf.get(a.profileId) ?? a.profileId)}::uuid[], ${attached.map((a) => new Date(a.firstSeenAt))}::timestamptz[]) AS a(type, value, profile_id, first_seen_at)`)
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
  const refusals = refusalStatement(workspaceId, events, resolution, now)
  return refusals ? [...statements, refusals] : statements
}

/** The identifiers resolution refused (a limit of the policy), kept for the console. */
function refusalStatement(
  workspaceId: string,
  events: readonly ResolvableEvent[],
  resolution: Resolution,
  now: Date,
): RawBuilder<unknown> | undefined {
  if (resolution.refusals.length === 0) return undefined
  const rows = resolution.refusals.map((r) => ({
    profile_id: r.profileId,
    identifier_type: r.dropped.type,
    identifier_value: r.dropped.value,
    message_id: events[r.eventIndex]?.messageId ?? null,
    reason: r.reason,
  }))
  return sql`
    INSERT INTO identity_refusals (workspace_id, at, profile_id, identifier_type, identifier_value, message_id, reason)
    SELECT ${workspaceId}, ${now}, r.* FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r(profile_id uuid, identifier_type text, identifier_value text, message_id text, reason text)`
}

/** Runs statements as one: each in a `WITH` clause of the last (they see the same snapshot, not each other's rows). */
async function runTogether(tx: Transaction<DB>, statements: RawBuilder<unknown>[]): Promise<void> {
  const last = statements.at(-1)
  if (!last) return
  const ctes = statements.slice(0, -1).map((statement, i) => sql`${sql.id(`w${i}`)} AS (${statement})`)
  await (ctes.length === 0 ? last : sql`WITH ${sql.join(ctes)} ${last}`).execute(tx)
}

/**
 * Resolves a batch of events to profiles and writes the outcome in the caller's transaction:
 * new profiles and identifiers, merges (identifiers move to the survivor, the merged profile points
 * to it, history is kept), refusals, and traits by the merge rule. Identifiers and then profiles
 * are locked first, so concurrent batches that touch the same customer take turns. All writes go
 * in one statement, with the caller's `append` (the events, stamped with their profiles: an
 * `appendStatement` of the log) last.
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
  const owners = await lockOwners(tx, workspaceId, [...all.values()])
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
  const state = replayTraits(events, owners, resolution)
  const statements = batchStatements(workspaceId, events, resolution, state, now)
  if (options.append) statements.push(options.append(resolution.profileOf))
  // New profiles that survive the batch start their timeline (audiences an empty profile is in take
  // them in): written first, so at the same time as the first event it comes before it in the log.
  const survivorOf = finalSurvivors(resolution.merges)
  const born = resolution.created.filter((c) => state.has(c.id) && !survivorOf.has(c.id))
  if (born.length > 0) {
    await appendStatement(
      { workspaceId, receivedAt: now },
      born.map((c) => ({
        profileId: c.id,
        messageId: `created:${c.id}`,
        name: PROFILE_CREATED,
        properties: {},
        timestamp: new Date(state.get(c.id)?.first ?? c.firstSeenAt),
      })),
    ).execute(tx)
  }
  await runTogether(tx, statements)
  const merged = new Map<string, string[]>()
  for (const [from, into] of survivorOf) merged.set(into, [...(merged.get(into) ?? []), from])
  return {
    profileOf: resolution.profileOf,
    merges: resolution.merges.length,
    refusals: resolution.refusals.length,
    merged: [...merged].map(([survivorId, mergedIds]) => ({ survivorId, mergedIds })),
  }
}
