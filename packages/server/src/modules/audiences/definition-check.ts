import {
  checkDefinition,
  conditionsOf,
  fail,
  ok,
  referencedSegments,
  referencedSubscriptionGroups,
  type Condition,
  type Result,
  type SegmentNode,
} from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { sourceRecords } from '../ingest/index.js'
import { allAudienceKinds, audienceKind, propertyKind, type AudienceDefinition } from './audience-kinds.js'
import { consentKind } from './consent-kind.js'

/** The ids a definition's conditions of one kind name, once each. */
const named = (conditions: readonly Condition[], pick: (c: Condition) => string | null) => [
  ...new Set(conditions.flatMap((c) => pick(c) ?? [])),
]

/** Of `ids`, those not in `found`. */
const missing = (ids: readonly string[], found: readonly string[]) => ids.filter((id) => !found.includes(id))

/**
 * Checks a definition against the workspace: the schema's rules, and that the tags, segments,
 * sources, computed properties and subscription groups it names exist here and that segments do
 * not refer to each other in a circle.
 */
export async function checkAgainstWorkspace(
  db: Executor,
  workspaceId: string,
  definition: SegmentNode,
  selfId: string | null,
): Promise<Result<true>> {
  const problems = checkDefinition(definition)
  if (problems.length > 0) return fail('INVALID_DEFINITION', undefined, { problems })
  const conditions = conditionsOf(definition)
  const tagIds = named(conditions, (c) => (c.kind === 'tag' ? c.tagId : null))
  if (tagIds.length > 0) {
    const absent = missing(tagIds, await audienceKind('tag').existing(db, workspaceId, tagIds))
    if (absent.length > 0) return fail('TAG_NOT_FOUND', undefined, { tagIds: absent })
  }
  const sourceIds = named(conditions, (c) => (c.kind === 'source' ? c.sourceId : null))
  if (sourceIds.length > 0) {
    const absent = missing(
      sourceIds,
      (await sourceRecords(db, workspaceId)).map((s) => s.id),
    )
    if (absent.length > 0) return fail('SOURCE_NOT_FOUND', undefined, { sourceIds: absent })
  }
  const propertyIds = named(conditions, (c) => (c.kind === 'computed' ? c.propertyId : null))
  if (propertyIds.length > 0) {
    const absent = missing(propertyIds, await propertyKind().existing(db, workspaceId, propertyIds))
    if (absent.length > 0) return fail('COMPUTED_PROPERTY_NOT_FOUND', undefined, { propertyIds: absent })
  }
  const groups = referencedSubscriptionGroups(definition)
  if (groups.length > 0) {
    const absent = missing(groups, [...(await consentKind().policies(db, workspaceId)).keys()])
    if (absent.length > 0) return fail('SUBSCRIPTION_GROUP_NOT_FOUND', undefined, { groups: absent })
  }
  return segmentReferencesHold(db, workspaceId, definition, selfId)
}

/** Follows references through the workspace's segments: a missing one is refused, and so is a path back to `selfId` (a circle). */
async function segmentReferencesHold(
  db: Executor,
  workspaceId: string,
  definition: SegmentNode,
  selfId: string | null,
): Promise<Result<true>> {
  const segments = new Map((await audienceKind('segment').definitions(db, workspaceId)).map((s) => [s.id, s]))
  const seen = new Set<string>()
  let frontier = referencedSegments(definition)
  while (frontier.length > 0) {
    if (selfId && frontier.includes(selfId)) return fail('SEGMENT_CYCLE')
    const rows = frontier.flatMap((id) => segments.get(id) ?? [])
    if (rows.length < frontier.length && frontier.some((id) => !seen.has(id))) {
      const absent = frontier.filter((id) => !rows.some((r) => r.id === id))
      if (absent.length > 0) return fail('SEGMENT_NOT_FOUND', undefined, { segmentIds: absent })
    }
    for (const id of frontier) seen.add(id)
    frontier = [...new Set(rows.flatMap((r) => (r.definition ? referencedSegments(r.definition) : [])))].filter(
      (id) => !seen.has(id) || id === selfId,
    )
  }
  return ok(true)
}

/** The segments and tags of the workspace whose definitions name what `uses` tells (a tag, a segment, a computed property). */
export async function definitionsUsing(
  db: Executor,
  workspaceId: string,
  uses: (definition: SegmentNode) => boolean,
): Promise<AudienceDefinition[]> {
  const all = (await Promise.all(allAudienceKinds().map((k) => k.definitions(db, workspaceId)))).flat()
  return all.filter((d) => d.definition !== null && uses(d.definition))
}
