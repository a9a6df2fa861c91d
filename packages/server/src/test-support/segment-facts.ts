import type { FactEvent, ProfileFacts } from '@reachloop/domain'
import { consentFacts } from '../modules/audiences/consent-kind.js'
import type { Executor } from '../platform/db/database.js'

/**
 * Everything segment evaluation needs about some live profiles, for the in-memory path: traits,
 * identifier types, tags, segments, computed values, consent (read through messaging's registered
 * consent kind), and the events of each profile and of those merged into it.
 */
export async function loadFacts(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<Map<string, ProfileFacts>> {
  const facts = new Map<string, ProfileFacts & { events: FactEvent[] }>()
  if (profileIds.length === 0) return facts
  const ids = [...profileIds]
  const [profiles, members, identifiers, tags, segments, properties, values, consents] = await Promise.all([
    db
      .selectFrom('profiles')
      .select(['id', 'traits'])
      .where('workspace_id', '=', workspaceId)
      .where('merged_into', 'is', null)
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('id', 'in', ids), eb('merged_into', 'in', ids)]))
      .execute(),
    db
      .selectFrom('profile_identifiers')
      .select(['profile_id', 'type'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', ids)
      .execute(),
    db
      .selectFrom('profile_tags')
      .select(['profile_id', 'tag_id'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', ids)
      .execute(),
    db
      .selectFrom('segment_members')
      .select(['profile_id', 'segment_id'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', ids)
      .execute(),
    db.selectFrom('computed_properties').select(['id', 'empty_value']).where('workspace_id', '=', workspaceId).execute(),
    db
      .selectFrom('computed_values')
      .select(['profile_id', 'computed_property_id', 'value'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', ids)
      .execute(),
    consentFacts(db, workspaceId, ids),
  ])
  // A profile without a stored value holds the property's empty value.
  const empty = properties.map((p) => [p.id, p.empty_value] as const)
  for (const p of profiles)
    facts.set(p.id, {
      traits: (p.traits ?? {}) as Record<string, unknown>,
      identifierTypes: new Set(),
      tags: new Set(),
      segments: new Set(),
      events: [],
      computed: new Map(empty),
      consents: consents.get(p.id) ?? new Map(),
    })
  for (const v of values) (facts.get(v.profile_id)?.computed as Map<string, unknown> | undefined)?.set(v.computed_property_id, v.value)
  for (const i of identifiers) (facts.get(i.profile_id)?.identifierTypes as Set<string> | undefined)?.add(i.type)
  for (const t of tags) (facts.get(t.profile_id)?.tags as Set<string> | undefined)?.add(t.tag_id)
  for (const s of segments) (facts.get(s.profile_id)?.segments as Set<string> | undefined)?.add(s.segment_id)
  const survivorOf = new Map(members.map((m) => [m.id, m.merged_into ?? m.id]))
  const events = await db
    .selectFrom('events')
    .select(['id', 'profile_id', 'name', 'timestamp', 'source_id', 'properties'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [...survivorOf.keys()])
    .execute()
  for (const e of events) {
    facts.get(survivorOf.get(e.profile_id) ?? '')?.events.push({
      id: e.id,
      name: e.name,
      timestamp: e.timestamp.getTime(),
      sourceId: e.source_id,
      properties: (e.properties ?? {}) as Record<string, unknown>,
    })
  }
  return facts
}

/** The time zone names the database knows (a profile's `timezone` trait counts only if listed). */
export async function knownTimeZones(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('time_zones').select('name').execute()).map((r) => r.name))
}
