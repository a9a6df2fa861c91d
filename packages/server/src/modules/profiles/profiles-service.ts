import {
  fail,
  normalizeIdentifier,
  ok,
  roleCan,
  type Profile,
  type ProfileDetail,
  type Result,
  type TimelineEvent,
} from '@reachloop/domain'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { isPii, maskTraits, maskValue } from './pii-mask.js'
import { loadIdentityPolicy } from '../identity/identity-policy.js'
import { instantCursor } from '../../platform/db/page-cursor.js'

type ProfileRow = { id: string; traits: unknown; first_seen_at: Date; last_seen_at: Date }

/** Profiles as the caller may see them: phones and emails masked without the pii.read permission. */
async function toProfiles(ctx: AppContext, scope: WorkspaceScope, rows: ProfileRow[]): Promise<Profile[]> {
  if (rows.length === 0) return []
  const identifiers = await ctx.db
    .selectFrom('profile_identifiers')
    .select(['profile_id', 'type', 'value', 'first_seen_at'])
    .where(
      'profile_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('first_seen_at')
    .execute()
  const pii = roleCan(scope.role, 'pii.read')
  return rows.map((r) => ({
    id: r.id,
    traits: pii ? (r.traits as Record<string, unknown>) : maskTraits(r.traits as Record<string, unknown>),
    identifiers: identifiers
      .filter((i) => i.profile_id === r.id)
      .map((i) => ({
        type: i.type,
        value: !pii && isPii(i.type) ? maskValue(i.type, i.value) : i.value,
        firstSeenAt: i.first_seen_at.toISOString(),
      })),
    firstSeenAt: r.first_seen_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
  }))
}

/** The surviving profile for an id: a merged profile leads to the one it was merged into. */
async function canonical(ctx: AppContext, workspaceId: string, profileId: string): Promise<ProfileRow | undefined> {
  const row = await ctx.db
    .selectFrom('profiles')
    .select(['id', 'merged_into'])
    .where('id', '=', profileId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return undefined
  return ctx.db
    .selectFrom('profiles')
    .select(['id', 'traits', 'first_seen_at', 'last_seen_at'])
    .where('id', '=', row.merged_into ?? row.id)
    .executeTakeFirst()
}

/** Ids whose events make up a profile's timeline: itself and every profile merged into it. */
const memberIds = (ctx: AppContext, profileId: string) =>
  ctx.db
    .selectFrom('profiles')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', profileId), eb('merged_into', '=', profileId)]))

export async function getProfile(ctx: AppContext, scope: WorkspaceScope, profileId: string): Promise<Result<ProfileDetail>> {
  const row = await canonical(ctx, scope.workspaceId, profileId)
  if (!row) return fail('PROFILE_NOT_FOUND')
  const [profile] = await toProfiles(ctx, scope, [row])
  const merges = await ctx.db
    .selectFrom('profile_merges')
    .selectAll()
    .where('into_profile_id', 'in', memberIds(ctx, row.id))
    .orderBy('merged_at', 'desc')
    .execute()
  const count = await ctx.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('profile_id', 'in', memberIds(ctx, row.id))
    .executeTakeFirstOrThrow()
  return ok({
    ...profile!,
    merges: merges.map((m) => ({
      fromProfileId: m.from_profile_id,
      intoProfileId: m.into_profile_id,
      messageId: m.message_id,
      actor: m.actor_label,
      mergedAt: m.merged_at.toISOString(),
    })),
    eventCount: Number(count.n),
  })
}

export async function getProfileByIdentifier(
  ctx: AppContext,
  scope: WorkspaceScope,
  type: string,
  rawValue: string,
): Promise<Result<ProfileDetail>> {
  const value = normalizeIdentifier(type, rawValue) ?? rawValue
  const row = await ctx.db
    .selectFrom('profile_identifiers')
    .select('profile_id')
    .where('workspace_id', '=', scope.workspaceId)
    .where('type', '=', type)
    .where('value', '=', value)
    .executeTakeFirst()
  return row ? getProfile(ctx, scope, row.profile_id) : fail('PROFILE_NOT_FOUND')
}

/** Profiles, most recently seen first, one keyset page at a time; `search` finds any identifier's exact value. */
export async function listProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  query: { search?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: Profile[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50
  let q = ctx.db
    .selectFrom('profiles')
    .select(['id', 'traits', 'first_seen_at', 'last_seen_at'])
    .where('workspace_id', '=', scope.workspaceId)
    .where('merged_into', 'is', null)
  const search = query.search?.trim()
  if (search) {
    const candidates = [
      ...new Set(
        [search, normalizeIdentifier('phone', search), normalizeIdentifier('email', search)].filter((v): v is string => v !== null),
      ),
    ]
    // Naming the types lets the (workspace, type, value) key serve the search.
    const types = Object.keys(await ctx.caches.policies.get(scope.workspaceId, () => loadIdentityPolicy(ctx.db, scope.workspaceId)))
    q = q.where(
      'id',
      'in',
      ctx.db
        .selectFrom('profile_identifiers')
        .select('profile_id')
        .where('workspace_id', '=', scope.workspaceId)
        .where('type', 'in', types)
        .where('value', 'in', candidates),
    )
  }
  const after = instantCursor(query.cursor, 'uuid')
  if (after) q = q.where(sql<boolean>`(last_seen_at, id) < (${after.at}, ${after.id}::uuid)`)
  const rows = await q
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await toProfiles(ctx, scope, page),
    nextCursor: rows.length > limit && last ? `${last.last_seen_at.toISOString()}|${last.id}` : null,
  }
}

/** A profile's events (its own and those of profiles merged into it), newest first. */
export async function getTimeline(
  ctx: AppContext,
  scope: WorkspaceScope,
  profileId: string,
  query: {
    type?: string | undefined
    name?: string | undefined
    from?: string | undefined
    to?: string | undefined
    cursor?: string | undefined
    limit?: number | undefined
  },
): Promise<Result<{ items: TimelineEvent[]; nextCursor: string | null }>> {
  const row = await canonical(ctx, scope.workspaceId, profileId)
  if (!row) return fail('PROFILE_NOT_FOUND')
  const limit = query.limit ?? 50
  let q = ctx.db
    .selectFrom('events')
    .select(['id', 'type', 'name', 'timestamp', 'received_at', 'source_id', 'message_id', 'properties', 'traits'])
    .where('profile_id', 'in', memberIds(ctx, row.id))
  if (query.type) q = q.where('type', '=', query.type)
  if (query.name) q = q.where('name', '=', query.name)
  if (query.from) q = q.where('timestamp', '>=', new Date(query.from))
  if (query.to) q = q.where('timestamp', '<', new Date(query.to))
  const after = instantCursor(query.cursor, 'serial')
  if (after) q = q.where(sql<boolean>`(timestamp, id) < (${after.at}, ${Number(after.id)})`)
  const rows = await q
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const pii = roleCan(scope.role, 'pii.read')
  const last = page[page.length - 1]
  return ok({
    items: page.map((e) => ({
      id: String(e.id),
      type: e.type,
      name: e.name,
      timestamp: e.timestamp.toISOString(),
      receivedAt: e.received_at.toISOString(),
      sourceId: e.source_id,
      messageId: e.message_id,
      properties: e.properties as Record<string, unknown>,
      traits: pii ? (e.traits as Record<string, unknown>) : maskTraits(e.traits as Record<string, unknown>),
    })),
    nextCursor: rows.length > limit && last ? `${last.timestamp.toISOString()}|${last.id}` : null,
  })
}
