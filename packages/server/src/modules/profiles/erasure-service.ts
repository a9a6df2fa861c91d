import { fail, ok, type Result } from '@reachloop/domain'
import { sql } from 'kysely'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { suppressionHash } from '../ingest/ingest-service.js'

/**
 * Erases a customer on request (PIPL / GDPR): the profile and every profile merged into it, their
 * events, identifiers, merges, refusals, tags, segment memberships, de-duplication entries and
 * quarantined payloads that name them. Their identifiers go on the suppression list (as hashes) so nothing about them is ingested
 * again. The audit entry records that an erasure happened, without personal data.
 */
export async function eraseProfile(
  ctx: AppContext,
  scope: WorkspaceScope,
  profileId: string,
): Promise<Result<{ erasedProfiles: number; erasedEvents: number; suppressedIdentifiers: number }>> {
  const result = await transact(ctx.db, async (tx) => {
    const row = await tx
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('id', '=', profileId)
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirst()
    if (!row) return fail('PROFILE_NOT_FOUND')
    const survivor = row.merged_into ?? row.id
    const members = (
      await tx
        .selectFrom('profiles')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', survivor), eb('merged_into', '=', survivor)]))
        .execute()
    ).map((r) => r.id)
    const identifiers = await tx.selectFrom('profile_identifiers').select(['type', 'value']).where('profile_id', 'in', members).execute()
    const now = ctx.clock.now()
    if (identifiers.length > 0) {
      await tx
        .insertInto('suppressions')
        .values(
          identifiers.map((i) => ({ workspace_id: scope.workspaceId, identifier_hash: suppressionHash(i.type, i.value), created_at: now })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'identifier_hash']).doNothing())
        .execute()
      // Quarantined payloads are raw JSON; any that names one of the identifiers goes too.
      await sql`DELETE FROM quarantine WHERE workspace_id = ${scope.workspaceId} AND EXISTS (SELECT 1 FROM unnest(${identifiers.map((i) => i.value)}::text[]) AS v(value) WHERE strpos(payload::text, v.value) > 0)`.execute(
        tx,
      )
    }
    await sql`DELETE FROM event_message_ids m USING events e WHERE e.profile_id = ANY(${members}::uuid[]) AND m.source_id = e.source_id AND m.message_id = e.message_id`.execute(
      tx,
    )
    const events = await tx.deleteFrom('events').where('profile_id', 'in', members).executeTakeFirst()
    await tx
      .deleteFrom('profile_merges')
      .where((eb) => eb.or([eb('from_profile_id', 'in', members), eb('into_profile_id', 'in', members)]))
      .execute()
    await tx.deleteFrom('identity_refusals').where('profile_id', 'in', members).execute()
    if (identifiers.length > 0)
      await tx
        .deleteFrom('identity_refusals')
        .where('workspace_id', '=', scope.workspaceId)
        .where(
          'identifier_value',
          'in',
          identifiers.map((i) => i.value),
        )
        .execute()
    await tx.deleteFrom('profile_identifiers').where('workspace_id', '=', scope.workspaceId).where('profile_id', 'in', members).execute()
    // Audiences: tags, segment membership (and the sizes it counted in), its history, computed values.
    await sql`UPDATE segments SET size = size - m.n FROM (SELECT segment_id, count(*)::int AS n FROM segment_members WHERE profile_id = ANY(${members}::uuid[]) GROUP BY segment_id) AS m WHERE segments.id = m.segment_id`.execute(
      tx,
    )
    await sql`UPDATE tags SET size = size - m.n FROM (SELECT tag_id, count(*)::int AS n FROM profile_tags WHERE profile_id = ANY(${members}::uuid[]) GROUP BY tag_id) AS m WHERE tags.id = m.tag_id`.execute(
      tx,
    )
    for (const table of ['profile_tags', 'segment_members', 'membership_changes', 'computed_values'] as const)
      await tx.deleteFrom(table).where('workspace_id', '=', scope.workspaceId).where('profile_id', 'in', members).execute()
    // Merged profiles point at the survivor; clear those links, then delete them all.
    await tx.updateTable('profiles').set({ merged_into: null }).where('id', 'in', members).execute()
    await tx.deleteFrom('profiles').where('id', 'in', members).execute()
    const outcome = {
      erasedProfiles: members.length,
      erasedEvents: Number(events.numDeletedRows),
      suppressedIdentifiers: identifiers.length,
    }
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'profile.erase',
      entityType: 'profile',
      entityId: survivor,
      after: outcome,
      requestId: scope.requestId,
      at: now,
    })
    return ok(outcome)
  })
  // After the commit, so no request can cache "nothing suppressed" from before it.
  ctx.caches.suppressions.clear((workspaceId) => workspaceId === scope.workspaceId)
  return result
}
