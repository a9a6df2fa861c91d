import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.js'
import { survivorMapSql, survivorsOf, withMergedSql } from '../identity/index.js'
import { audienceKind, type AudienceKindName } from './audience-kinds.js'
import { applyMembership, MEMBERSHIP_TABLES, NOBODY } from './membership.js'

/** Membership of one audience by one profile: when it began. */
interface Holding {
  profileId: string
  audienceId: string
  at: Date
}

/** Members of audiences of a kind among `profiles` (a `uuid[]` expression), with when they entered. */
async function holdings(db: Executor, kind: AudienceKindName, profiles: ReturnType<typeof withMergedSql>): Promise<Holding[]> {
  const a = MEMBERSHIP_TABLES[kind]
  const { rows } = await sql<{ profile_id: string; audience_id: string; at: Date }>`
    SELECT profile_id, ${sql.ref(a.key)} AS audience_id, ${sql.ref(a.at)} AS at FROM ${sql.table(a.members)} WHERE profile_id = ANY(${profiles})`.execute(
    db,
  )
  return rows.map((r) => ({ profileId: r.profile_id, audienceId: r.audience_id, at: r.at }))
}

/**
 * An exclusive group gives a customer one tag of it: the survivor's own if it had one, else the one
 * a merged profile was given last. The others are taken off (by tag: the survivors losing it).
 */
async function exclusiveLosers(
  db: Executor,
  workspaceId: string,
  survivors: readonly string[],
): Promise<Map<string, { name: string; survivors: Set<string> }>> {
  const tags = audienceKind('tag')
  const held = await holdings(db, 'tag', withMergedSql(survivors))
  const groups = (await tags.exclusiveGroups?.(db, [...new Set(held.map((h) => h.audienceId))])) ?? new Map()
  const survivorOf = await survivorsOf(
    db,
    workspaceId,
    held.map((h) => h.profileId),
  )
  const exclusive = held.flatMap((h) => {
    const group = groups.get(h.audienceId)
    const survivor = survivorOf.get(h.profileId)
    return group && survivor ? [{ ...h, ...group, survivor, own: survivor === h.profileId }] : []
  })
  const keeper = new Map<string, (typeof exclusive)[number]>()
  for (const h of exclusive) {
    const slot = `${h.survivor}:${h.groupId}`
    const kept = keeper.get(slot)
    if (!kept || (h.own && !kept.own) || (h.own === kept.own && h.at > kept.at)) keeper.set(slot, h)
  }
  const losers = new Map<string, { name: string; survivors: Set<string> }>()
  for (const h of exclusive) {
    if (keeper.get(`${h.survivor}:${h.groupId}`)?.audienceId === h.audienceId) continue
    const loser = losers.get(h.audienceId) ?? { name: h.name, survivors: new Set<string>() }
    losers.set(h.audienceId, { ...loser, survivors: loser.survivors.add(h.survivor) })
  }
  return losers
}

/**
 * After merges: the manual tags and static-segment memberships the merged profiles held become the
 * survivors' (entered once, with history and log events), and the merged profiles leave them, so
 * sizes count customers, not profiles; a survivor keeps one tag of each exclusive group. Rule tags
 * and dynamic segments are re-evaluated instead.
 */
export async function carryOverHeldMemberships(
  db: Executor,
  workspaceId: string,
  survivors: readonly string[],
  options: { now: Date; actor: string },
): Promise<void> {
  const losers = await exclusiveLosers(db, workspaceId, survivors)
  for (const kind of ['tag', 'segment'] as const) {
    const a = MEMBERSHIP_TABLES[kind]
    // Audiences the merged profiles (not the survivors themselves) hold.
    const mergedAway = (await holdings(db, kind, withMergedSql(survivors))).filter((h) => !survivors.includes(h.profileId))
    for (const o of await audienceKind(kind).heldByHand(db, [...new Set(mergedAway.map((h) => h.audienceId))])) {
      // Survivors that hold it themselves or through a profile merged into them.
      const target = sql`SELECT DISTINCT s.survivor AS id FROM ${sql.table(a.members)} m JOIN (${survivorMapSql(workspaceId, survivors)}) s ON s.id = m.profile_id
        WHERE m.${sql.ref(a.key)} = ${o.id}`
      await applyMembership(db, { kind, id: o.id, workspaceId, name: o.name }, target, { ...options, profileIds: survivors })
    }
  }
  for (const [tagId, loser] of losers)
    await applyMembership(db, { kind: 'tag', id: tagId, workspaceId, name: loser.name }, NOBODY, {
      ...options,
      profileIds: [...loser.survivors],
    })
}
