import { identifierKey, ruleOf, type Identifier, type IdentityPolicy } from './identifier-types.js'

/** What the resolver knows of a profile: its identifiers and when it was first seen (the older one survives a merge). */
export interface KnownProfile {
  id: string
  firstSeenAt: number
  identifiers: Identifier[]
}

/** The state the resolver starts from: the profiles that own any identifier of the batch. */
export interface IdentityState {
  profiles: KnownProfile[]
}

/** A merge: `from` is folded into `into` because event `eventIndex` carried identifiers of both. */
export interface Merge {
  from: string
  into: string
  eventIndex: number
}

/** An identifier left out of an event's match because using it would break a limit. */
export interface Refusal {
  eventIndex: number
  dropped: Identifier
  /** The profile it belongs to (or would have joined). */
  profileId: string | null
  reason: string
}

/** What to write: each event's profile, new profiles, identifiers to attach, merges and refusals. */
export interface Resolution {
  profileOf: string[]
  created: Array<{ id: string; firstSeenAt: number }>
  /** Identifiers new to the workspace, each with the time of the first event that carried it. */
  attached: Array<Identifier & { profileId: string; firstSeenAt: number }>
  merges: Merge[]
  refusals: Refusal[]
}

const countByType = (identifiers: Iterable<Identifier>): Map<string, Set<string>> => {
  const byType = new Map<string, Set<string>>()
  for (const id of identifiers) {
    const values = byType.get(id.type) ?? new Set<string>()
    values.add(id.value)
    byType.set(id.type, values)
  }
  return byType
}

/** The first identifier type whose distinct values exceed its limit, if any. */
function brokenLimit(policy: IdentityPolicy, identifiers: Iterable<Identifier>): string | undefined {
  for (const [type, values] of countByType(identifiers)) if (values.size > ruleOf(policy, type).maxPerProfile) return type
  return undefined
}

/**
 * Resolves a batch of events into profiles, in order, as one pass over in-memory state:
 * - identifiers owned by no profile start a new profile or join the one that owns the others;
 * - identifiers owned by several profiles merge them into the oldest;
 * - when joining or merging would break a limit (two user ids, two phones where one is allowed),
 *   the lowest-priority identifier leaves the match, the refusal is recorded, and it tries again.
 * Pure: the caller loads the state, supplies ids for new profiles and writes the result.
 *
 * @example
 * const r = resolveIdentities([{ identifiers: [{ type: 'anonymous_id', value: 'a1' }] }], { profiles: [] }, DEFAULT_IDENTITY_POLICY, newId, now)
 */
export function resolveIdentities(
  events: ReadonlyArray<{ identifiers: readonly Identifier[]; at: number }>,
  state: IdentityState,
  policy: IdentityPolicy,
  newProfileId: () => string,
): Resolution {
  const owner = new Map<string, string>()
  const profiles = new Map<string, { firstSeenAt: number; identifiers: Map<string, Identifier> }>()
  for (const p of state.profiles) {
    profiles.set(p.id, { firstSeenAt: p.firstSeenAt, identifiers: new Map(p.identifiers.map((i) => [identifierKey(i), i])) })
    for (const i of p.identifiers) owner.set(identifierKey(i), p.id)
  }
  const result: Resolution = { profileOf: [], created: [], attached: [], merges: [], refusals: [] }

  events.forEach((event, eventIndex) => {
    let match = [...new Map(event.identifiers.map((i) => [identifierKey(i), i])).values()]
    for (;;) {
      const owners = [...new Set(match.map((i) => owner.get(identifierKey(i))).filter((p): p is string => p !== undefined))]
      const unowned = match.filter((i) => !owner.has(identifierKey(i)))
      const union = [...owners.flatMap((p) => [...(profiles.get(p)?.identifiers.values() ?? [])]), ...unowned]
      const broken = match.length > 1 ? brokenLimit(policy, union) : undefined
      if (broken === undefined) {
        let target = owners.sort(
          (a, b) => (profiles.get(a)?.firstSeenAt ?? 0) - (profiles.get(b)?.firstSeenAt ?? 0) || a.localeCompare(b),
        )[0]
        if (target === undefined) {
          target = newProfileId()
          profiles.set(target, { firstSeenAt: event.at, identifiers: new Map() })
          result.created.push({ id: target, firstSeenAt: event.at })
        }
        const into = profiles.get(target)!
        for (const from of owners.slice(1)) {
          for (const [key, identifier] of profiles.get(from)?.identifiers ?? []) {
            into.identifiers.set(key, identifier)
            owner.set(key, target)
          }
          profiles.delete(from)
          result.merges.push({ from, into: target, eventIndex })
        }
        for (const identifier of unowned) {
          const key = identifierKey(identifier)
          into.identifiers.set(key, identifier)
          owner.set(key, target)
          result.attached.push({ ...identifier, profileId: target, firstSeenAt: event.at })
        }
        into.firstSeenAt = Math.min(into.firstSeenAt, event.at)
        result.profileOf.push(target)
        return
      }
      // Leave out the lowest-priority identifier (on a tie, the later one) and try again.
      let drop = 0
      match.forEach((identifier, i) => {
        if (ruleOf(policy, identifier.type).priority <= ruleOf(policy, match[drop]!.type).priority) drop = i
      })
      const dropped = match[drop]!
      result.refusals.push({
        eventIndex,
        dropped,
        profileId: owner.get(identifierKey(dropped)) ?? null,
        reason: `a merge would give one profile more than ${ruleOf(policy, broken).maxPerProfile} ${broken}`,
      })
      match = match.filter((_, i) => i !== drop)
    }
  })
  return result
}
