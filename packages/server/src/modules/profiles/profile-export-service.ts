import { ok, type Profile, type ProfileExportPart, type ProfileListFilter, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { instantCursor } from '../../platform/db/page-cursor.js'
import { csvField } from '../../platform/http/csv-field.js'
import { filteredProfilesPage, sortOf } from './profile-list-repository.js'
import { listWhere } from './profiles-service.js'
import { toProfiles } from './profile-view.js'

/** The columns of a customers export, in order. */
export const EXPORT_COLUMNS = ['profile_id', 'name', 'phone', 'email', 'user_id', 'first_seen_at', 'last_seen_at'] as const

const identifierOf = (p: Profile, type: string) => p.identifiers.find((i) => i.type === type)?.value

function exportLine(p: Profile): string {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
  return [
    p.id,
    text(p.traits.name),
    text(p.traits.phone) ?? identifierOf(p, 'phone'),
    text(p.traits.email) ?? identifierOf(p, 'email'),
    identifierOf(p, 'user_id'),
    p.firstSeenAt,
    p.lastSeenAt,
  ]
    .map(csvField)
    .join(',')
}

/**
 * One part of the filtered customers list as CSV lines, in the list's order: the header on the first
 * part, then up to `limit` customers as the caller may see them (phones and emails masked without
 * `pii.read`, as in the list). The console asks part after part, showing how far it has got, and
 * saves the whole; a browser that leaves stops the export, and the server keeps nothing of it.
 */
export async function exportProfilesPart(
  ctx: AppContext,
  scope: WorkspaceScope,
  query: ProfileListFilter & { cursor?: string | undefined; limit?: number | undefined },
): Promise<Result<ProfileExportPart>> {
  const limit = query.limit ?? 2000
  const sort = query.sort ?? 'last_seen_desc'
  const where = await listWhere(ctx, scope.workspaceId, query)
  if (!where.ok) return where
  const rows = await filteredProfilesPage(ctx.db, where.value, { sort, after: instantCursor(query.cursor, 'uuid'), limit: limit + 1 })
  const page = rows.slice(0, limit)
  const profiles = await toProfiles(ctx, scope, page)
  const lines = profiles.map(exportLine)
  if (query.cursor === undefined) lines.unshift(EXPORT_COLUMNS.join(','))
  const last = page.at(-1)
  const at = last && (sortOf(sort).column === 'first_seen' ? last.firstSeenAt : last.lastSeenAt)
  return ok({
    csv: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    rows: profiles.length,
    nextCursor: rows.length > limit && last && at ? `${at.toISOString()}|${last.id}` : null,
  })
}
