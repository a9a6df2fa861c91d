import { fail, normalizeIdentifier, ok, type Profile, type ProfileDetail, type Result } from '@reachloop/domain'
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
} from '../identity/index.js'
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

/** Profiles, most recently seen first, one keyset page at a time; `search` finds any identifier's exact value. */
export async function listProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  query: { search?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: Profile[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50
  const search = query.search?.trim()
  const values = search
    ? [
        ...new Set(
          [search, normalizeIdentifier('phone', search), normalizeIdentifier('email', search)].filter((v): v is string => v !== null),
        ),
      ]
    : []
  // Naming the types lets the (workspace, type, value) key serve the search.
  const types = search ? Object.keys(await identityPolicy(ctx, scope.workspaceId)) : []
  const rows = await liveProfilesPage(ctx.db, {
    workspaceId: scope.workspaceId,
    withIdentifier: search ? { types, values } : undefined,
    after: instantCursor(query.cursor, 'uuid'),
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await toProfiles(ctx, scope, page),
    nextCursor: rows.length > limit && last ? `${last.lastSeenAt.toISOString()}|${last.id}` : null,
  }
}
