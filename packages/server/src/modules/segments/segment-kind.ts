import type { AudienceKind, EvaluableAudience } from '../audiences/index.js'
import {
  clearSegmentMark,
  lockSegment,
  resizeSegments,
  segmentComputed,
  segmentRecords,
  segmentsInUse,
  type SegmentRecord,
} from './segments-repository.js'
import { COMPUTE_SEGMENT_QUEUE } from './segments-service.js'

const evaluable = (s: SegmentRecord): EvaluableAudience[] =>
  s.definition ? [{ kind: 'segment', id: s.id, workspaceId: s.workspaceId, name: s.name, definition: s.definition }] : []

/** Segments as the membership engine keeps them (registered in module.ts). */
export const segmentKind: AudienceKind = {
  kind: 'segment',
  lock: lockSegment,
  computeJob: { queue: COMPUTE_SEGMENT_QUEUE.name, idField: 'segmentId' },
  resize: resizeSegments,
  computedInFull: (db, audience, outcome) => segmentComputed(db, audience.id, audience.definition, outcome),
  live: async (db, filter) => (await segmentRecords(db, { ...filter, kind: 'dynamic', computed: true })).flatMap(evaluable),
  pending: async (db) =>
    (await segmentRecords(db, { kind: 'dynamic', marked: true })).flatMap((s) =>
      s.computedSnapshot
        ? [
            {
              audience: { kind: 'segment' as const, id: s.id, workspaceId: s.workspaceId, name: s.name, definition: s.definition },
              mark: s.computedSnapshot,
            },
          ]
        : [],
    ),
  clearMark: clearSegmentMark,
  heldByHand: async (db, ids) => (await segmentRecords(db, { ids, kind: 'static' })).map((s) => ({ id: s.id, name: s.name })),
  inUse: segmentsInUse,
  definitions: async (db, workspaceId) =>
    (await segmentRecords(db, workspaceId ? { workspaceId } : {})).map((s) => ({
      kind: 'segment' as const,
      id: s.id,
      name: s.name,
      definition: s.definition,
    })),
  existing: async (db, workspaceId, ids) => (await segmentRecords(db, { workspaceId, ids })).map((s) => s.id),
  names: async (db, workspaceId, ids) =>
    new Map((await segmentRecords(db, { workspaceId, ids }, 'name')).map((s) => [s.id, { name: s.name, group: null }] as const)),
}
