import {
  fail,
  normalizeIdentifier,
  ok,
  type ProfileDetail,
  type ProfileList,
  type ProfileListFilter,
  type ProfileSort,
  type Result,
} from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { instantCursor } from '../../platform/db/page-cursor.js'
import {
  identityPolicy,
  liveProfilesPage,
  mergeHistory,
  profilesByIdentifiers,
  survivingProfile,
  withMergedIds,
  type IdentifierMatch,
  type ProfileRecord,
} from '../identity/index.js'
import { countProfiles, filteredProfilesPage, sortOf, type ProfileListWhere } from './profile-list-repository.js'
import { toProfiles } from './profile-view.js'

/** Profile 360: the surviving profile for an id, its merge history, and how many events make up its timeline. */
export async function getProfile(ctx: AppContext, scope: WorkspaceScope, profileId: string): Promise<Result<ProfileDetail>> {
  const record = await survivingProfile(ctx.db, scope.workspaceId, profileId)
  if (!record) return fail('PROFILE_NOT_FOUND')
  const [profile] = await toProfiles(ctx, scope, [record])
  const members = await withMergedIds(ctx.db, scope.workspaceId, [record.id])
  const [merges, eventCount] = await Promise.all([
    mergeHistory(ctx.db, members),
    ctx.analytics.countEvents({ workspaceId: scope.workspaceId, profileIds: members }),
  ])
  return ok({ ...profile!, merges, eventCount })
}

export async function getProfileByIdentifier(
  ctx: AppContext,
  scope: WorkspaceScope,
  type: string,
  rawValue: string,
): Promise<Result<ProfileDetail>> {
  const value = normalizeIdentifier(type, rawValue) ?? rawValue
  const [found] = await profilesByIdentifiers(ctx.db, scope.workspaceId, { types: [type], values: [value] })
  return found ? getProfile(ctx, scope, found.profileId) : fail('PROFILE_NOT_FOUND')
}

/** The identifier match of a search: its text as it is and as a phone or email would be stored, over every identifier type. */
export async function searchMatch(ctx: AppContext, workspaceId: string, search: string | undefined): Promise<IdentifierMatch | undefined> {
  const text = search?.trim()
  if (!text) return undefined
  const values = [
    ...new Set([text, normalizeIdentifier('phone', text), normalizeIdentifier('email', text)].filter((v): v is string => v !== null)),
  ]
  // Naming the types lets the (workspace, type, value) key serve the search.
  return { types: Object.keys(await identityPolicy(ctx, workspaceId)), values }
}

/**
 * The list's filters as the repository takes them. A trait filter needs a name, and a value unless
 * it is `exists`; a value or operator without a name is refused too, naming the field.
 */
export async function listWhere(ctx: AppContext, workspaceId: string, query: ProfileListFilter): Promise<Result<ProfileListWhere>> {
  const operator = query.traitOperator ?? 'equals'
  const missing = (field: string, message: string) =>
    fail('VALIDATION_FAILED', `query.${field} ${message}`, { fields: [{ field: `query.${field}`, message }] })
  if (!query.trait && (query.traitValue !== undefined || query.traitOperator !== undefined))
    return missing('trait', 'is required with a trait operator or value')
  if (query.trait && operator !== 'exists' && query.traitValue === undefined)
    return missing('traitValue', `is required to compare a trait (${operator})`)
  return ok({
    workspaceId,
    withIdentifier: await searchMatch(ctx, workspaceId, query.search),
    trait: query.trait ? { name: query.trait, operator, value: query.traitValue ?? '' } : undefined,
    segmentId: query.segmentId,
    tagId: query.tagId,
  })
}

const cursorOf = (record: ProfileRecord, sort: ProfileSort) =>
  `${(sortOf(sort).column === 'first_seen' ? record.firstSeenAt : record.lastSeenAt).toISOString()}|${record.id}`

/**
 * Customers, filtered and sorted (most recently seen first unless asked), one keyset page at a time;
 * the first page says how many match in all. `search` finds any identifier's exact value.
 */
export async function listProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  query: ProfileListFilter & { cursor?: string | undefined; limit?: number | undefined },
): Promise<Result<ProfileList>> {
  const limit = query.limit ?? 50
  const sort = query.sort ?? 'last_seen_desc'
  const filters = await listWhere(ctx, scope.workspaceId, query)
  if (!filters.ok) return filters
  const where = filters.value
  const after = instantCursor(query.cursor, 'uuid')
  const plain = sort === 'last_seen_desc' && !where.trait && !where.segmentId && !where.tagId
  // The usual view (latest first, maybe a search) walks identity's index of live profiles by last seen.
  const rows = plain
    ? await liveProfilesPage(ctx.db, { workspaceId: scope.workspaceId, withIdentifier: where.withIdentifier, after, limit: limit + 1 })
    : await filteredProfilesPage(ctx.db, where, { sort, after, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return ok({
    items: await toProfiles(ctx, scope, page),
    nextCursor: rows.length > limit && last ? cursorOf(last, sort) : null,
    ...(query.cursor === undefined ? { total: await countProfiles(ctx.db, where) } : {}),
  })
}
