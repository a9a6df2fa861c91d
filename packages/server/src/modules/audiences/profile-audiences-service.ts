import { fail, ok, type AudienceChange, type Result } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { survivorOf } from '../identity/index.js'
import { audienceKind } from './audience-kinds.js'
import { membershipHistory, membershipsOf } from './membership-repository.js'

/** The segments and tags a profile (or the one it was merged into) is in, each by name. */
export async function profileAudiences(ctx: AppContext, workspaceId: string, profileId: string) {
  const id = await survivorOf(ctx.db, workspaceId, profileId)
  if (!id) return fail('PROFILE_NOT_FOUND')
  const [segments, tags] = await Promise.all(
    (['segment', 'tag'] as const).map(async (kind) => {
      const held = await membershipsOf(ctx.db, kind, id)
      // Names come in name order.
      const named = await audienceKind(kind).names(ctx.db, workspaceId, [...held.keys()])
      return [...named].map(([audienceId, n]) => ({ id: audienceId, ...n, at: held.get(audienceId) ?? new Date(0) }))
    }),
  )
  return ok({
    segments: (segments ?? []).map((s) => ({ id: s.id, name: s.name, enteredAt: s.at.toISOString() })),
    tags: (tags ?? []).map((t) => ({ id: t.id, name: t.name, group: t.group, addedAt: t.at.toISOString() })),
  })
}

/** A profile's entries and exits of segments and tags, newest first (the last 500). */
export async function audienceHistory(
  ctx: AppContext,
  workspaceId: string,
  profileId: string,
): Promise<Result<{ items: AudienceChange[] }>> {
  const id = await survivorOf(ctx.db, workspaceId, profileId)
  if (!id) return fail('PROFILE_NOT_FOUND')
  const rows = await membershipHistory(ctx.db, workspaceId, id, 500)
  const ids = (kind: 'segment_id' | 'tag_id') => [...new Set(rows.flatMap((r) => (r[kind] ? [r[kind]] : [])))]
  const [segments, tags] = await Promise.all([
    audienceKind('segment').names(ctx.db, workspaceId, ids('segment_id')),
    audienceKind('tag').names(ctx.db, workspaceId, ids('tag_id')),
  ])
  return ok({
    items: rows.map((r) => ({
      at: r.at.toISOString(),
      change: r.change,
      segmentId: r.segment_id,
      tagId: r.tag_id,
      name: (r.segment_id ? segments.get(r.segment_id) : r.tag_id ? tags.get(r.tag_id) : undefined)?.name ?? '—',
      actor: r.actor_label,
    })),
  })
}
