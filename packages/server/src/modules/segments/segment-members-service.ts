import { fail, normalizeIdentifier, ok, roleCan, type MemberProfile, type Result, type StaticMembers } from '@reachloop/domain'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { instantCursor } from '../../platform/db/page-cursor.js'
import { csvField } from '../../platform/http/csv-field.js'
import {
  applyMembership,
  currentMembersSql,
  dailyMembershipChanges,
  segmentMembersExportPage,
  segmentMembersPage,
  workspaceZone,
  type MemberCursor,
} from '../audiences/index.js'
import { profileRecords, profilesByIdentifiers, profilesWithIdentifiersSql } from '../identity/index.js'
import { maskTraits } from '../profiles/index.js'
import { recordSize, segmentRecord, sizePoints, staticMembersSet } from './segments-repository.js'
import { getSegment } from './segments-service.js'

/** Profiles as member lists show them: phones and emails masked without `pii.read`. */
export async function memberProfiles(
  ctx: AppContext,
  scope: WorkspaceScope,
  workspaceId: string,
  rows: Array<{ id: string; enteredAt?: Date }>,
): Promise<MemberProfile[]> {
  if (rows.length === 0) return []
  const byId = new Map(
    (
      await profileRecords(
        ctx.db,
        workspaceId,
        rows.map((r) => r.id),
      )
    ).map((p) => [p.id, p]),
  )
  const pii = roleCan(scope.role, 'pii.read')
  return rows.flatMap((r) => {
    const p = byId.get(r.id)
    if (!p) return []
    return [
      {
        id: p.id,
        traits: pii ? p.traits : maskTraits(p.traits),
        lastSeenAt: p.lastSeenAt.toISOString(),
        ...(r.enteredAt ? { enteredAt: r.enteredAt.toISOString() } : {}),
      },
    ]
  })
}

/** Members, latest entries first, with a cursor. */
export async function listSegmentMembers(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<Result<{ items: MemberProfile[]; nextCursor: string | null }>> {
  const segment = await getSegment(ctx, scope.workspaceId, segmentId)
  if (!segment.ok) return segment
  const limit = query.limit ?? 50
  const rows = await segmentMembersPage(ctx.db, segmentId, { after: instantCursor(query.cursor, 'uuid'), limit: limit + 1 })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return ok({
    items: await memberProfiles(
      ctx,
      scope,
      scope.workspaceId,
      page.map((r) => ({ id: r.profileId, enteredAt: r.enteredAt })),
    ),
    nextCursor: rows.length > limit && last ? `${last.enteredAt.toISOString()}|${last.profileId}` : null,
  })
}

/** Every member as CSV: profile id, entered at, name, phone, email, user id (masked without `pii.read`). */
export async function exportSegmentMembers(ctx: AppContext, scope: WorkspaceScope, segmentId: string): Promise<Result<string>> {
  const segment = await getSegment(ctx, scope.workspaceId, segmentId)
  if (!segment.ok) return segment
  const pii = roleCan(scope.role, 'pii.read')
  const lines = ['profile_id,entered_at,name,phone,email,user_id']
  let after: MemberCursor | undefined
  for (;;) {
    const rows = await segmentMembersExportPage(ctx.db, segmentId, { after, limit: 5000 })
    for (const r of rows) {
      const traits = pii ? r.traits : maskTraits(r.traits)
      lines.push([r.profileId, r.enteredAt.toISOString(), traits.name, traits.phone, traits.email, r.userId].map(csvField).join(','))
    }
    const last = rows.at(-1)
    if (rows.length < 5000 || !last) break
    after = { at: last.enteredAt, id: last.profileId }
  }
  return ok(`${lines.join('\n')}\n`)
}

/** Puts profiles in a static segment by identifier: appended, or replacing the whole list. */
export async function setStaticMembers(
  ctx: AppContext,
  scope: WorkspaceScope,
  segmentId: string,
  input: StaticMembers,
): Promise<Result<{ size: number; entered: number; exited: number; unknown: number }>> {
  return transact(ctx.db, async (tx) => {
    const row = await segmentRecord(tx, scope.workspaceId, segmentId, { forUpdate: true })
    if (!row) return fail('SEGMENT_NOT_FOUND')
    if (row.kind !== 'static') return fail('WRONG_SEGMENT_KIND', 'Only a static segment takes a list of profiles.')
    const values = [...new Set(input.values.map((v) => normalizeIdentifier(input.identifierType, v) ?? v.trim()))]
    const now = ctx.clock.now()
    // Identifiers belong to live profiles (merges move them to the survivor).
    const match = { types: [input.identifierType], values }
    const found = profilesWithIdentifiersSql(scope.workspaceId, match)
    const target = input.mode === 'append' ? sql`(${found}) UNION (${currentMembersSql({ kind: 'segment', id: segmentId })})` : found
    const matched = new Set((await profilesByIdentifiers(tx, scope.workspaceId, match)).map((m) => m.value)).size
    const outcome = await applyMembership(tx, { kind: 'segment', id: row.id, workspaceId: scope.workspaceId, name: row.name }, target, {
      now,
      actor: scope.actor.label,
    })
    const size = await staticMembersSet(tx, segmentId, now)
    await recordSize(tx, segmentId, now, size)
    const result = { size, ...outcome, unknown: values.length - matched }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'segment.members',
      entityType: 'segment',
      entityId: segmentId,
      after: { mode: input.mode, identifierType: input.identifierType, ...result },
      requestId: scope.requestId,
      at: now,
    })
    return ok(result)
  })
}

/** Size points over time and daily entries and exits (last 90 days), for the trend chart. */
export async function segmentSizes(
  ctx: AppContext,
  workspaceId: string,
  segmentId: string,
): Promise<Result<{ sizes: Array<{ at: string; size: number }>; changes: Array<{ day: string; entered: number; exited: number }> }>> {
  const segment = await getSegment(ctx, workspaceId, segmentId)
  if (!segment.ok) return segment
  const since = new Date(ctx.clock.now().getTime() - 90 * 86_400_000)
  const zone = await workspaceZone(ctx.db, workspaceId)
  const sizes = await sizePoints(ctx.db, segmentId, since)
  const changes = await dailyMembershipChanges(ctx.db, segmentId, since, zone)
  return ok({ sizes: sizes.map((s) => ({ at: s.at.toISOString(), size: s.size })), changes })
}
