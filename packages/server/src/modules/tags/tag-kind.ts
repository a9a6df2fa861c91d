import type { AudienceKind, EvaluableAudience } from '../audiences/index.js'
import {
  clearTagMark,
  exclusiveTagGroups,
  lockTag,
  resizeTags,
  tagComputed,
  tagNames,
  tagRecords,
  tagsInUse,
  type TagRecord,
} from './tags-repository.js'
import { COMPUTE_TAG_QUEUE } from './tags-service.js'

const evaluable = (t: TagRecord): EvaluableAudience[] =>
  t.definition ? [{ kind: 'tag', id: t.id, workspaceId: t.workspaceId, name: t.name, definition: t.definition }] : []

/** Tags as the membership engine keeps them (registered in module.ts). */
export const tagKind: AudienceKind = {
  kind: 'tag',
  lock: lockTag,
  computeJob: { queue: COMPUTE_TAG_QUEUE.name, idField: 'tagId' },
  resize: resizeTags,
  computedInFull: (db, audience, outcome) => tagComputed(db, audience.id, outcome),
  live: async (db, filter) => (await tagRecords(db, { ...filter, kind: 'rule', computed: true })).flatMap(evaluable),
  pending: async (db) =>
    (await tagRecords(db, { kind: 'rule', marked: true })).flatMap((t) =>
      t.computedSnapshot
        ? [
            {
              audience: { kind: 'tag' as const, id: t.id, workspaceId: t.workspaceId, name: t.name, definition: t.definition },
              mark: t.computedSnapshot,
            },
          ]
        : [],
    ),
  clearMark: clearTagMark,
  heldByHand: async (db, ids) => (await tagRecords(db, { ids, kind: 'manual' })).map((t) => ({ id: t.id, name: t.name })),
  inUse: tagsInUse,
  definitions: async (db, workspaceId) =>
    (await tagRecords(db, workspaceId ? { workspaceId } : {})).map((t) => ({
      kind: 'tag' as const,
      id: t.id,
      name: t.name,
      definition: t.definition,
    })),
  existing: async (db, workspaceId, ids) => (await tagRecords(db, { workspaceId, ids })).map((t) => t.id),
  names: tagNames,
  exclusiveGroups: exclusiveTagGroups,
}
