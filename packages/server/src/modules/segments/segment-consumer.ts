import { changesWithTime, conditionsOf, type Condition, type SegmentNode } from '@reachloop/domain'
import { sql, type Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import type { DB } from '../../platform/db/schema.js'
import type { Executor } from '../../platform/db/database.js'
import { readLog, type LogConsumer, type LogEvent } from '../../platform/event-log/event-log.js'
import { evaluateAudience, workspaceZone, type EvaluableAudience } from './membership.js'

/** The job that re-evaluates a segment for some profiles at a given time (a sequence's deadline). */
export const REEVALUATE_SEGMENT_QUEUE = 'segments.reevaluate'
/** The recurring job that recomputes segments whose membership changes with time alone. */
export const REFRESH_SEGMENTS_QUEUE = 'segments.refresh'

const TRAIT_EVENTS = new Set(['identify', 'group'])
/** The internal events whose properties say which segment or tag they are about. */
const INTERNAL_EVENTS = ['Segment Entered', 'Segment Exited', 'Tag Added', 'Tag Removed']

/** Whether an event can change the outcome of a condition for its profile. */
function affects(condition: Condition, event: LogEvent): boolean {
  switch (condition.kind) {
    case 'trait':
      return TRAIT_EVENTS.has(event.type)
    case 'event':
    case 'event_time':
      return event.name === condition.event
    case 'sequence':
      return event.name === condition.first.event || event.name === condition.then.event
    case 'identifier':
      // Any call can bring a new identifier.
      return true
    case 'source':
      return event.sourceId === condition.sourceId
    case 'segment':
      return (event.name === 'Segment Entered' || event.name === 'Segment Exited') && event.properties.segment_id === condition.segmentId
    case 'tag':
      return (event.name === 'Tag Added' || event.name === 'Tag Removed') && event.properties.tag_id === condition.tagId
  }
}

/** Dynamic segments and rule tags of a workspace that have been computed once (the rest wait for their full computation). */
async function liveAudiences(db: Executor, workspaceId: string): Promise<EvaluableAudience[]> {
  const [segments, tags] = await Promise.all([
    db.selectFrom('segments').select(['id', 'name', 'definition']).where('workspace_id', '=', workspaceId).where('kind', '=', 'dynamic').where('computed_at', 'is not', null).orderBy('id').execute(),
    db.selectFrom('tags').select(['id', 'name', 'definition']).where('workspace_id', '=', workspaceId).where('kind', '=', 'rule').where('computed_at', 'is not', null).orderBy('id').execute(),
  ])
  return [
    ...segments.flatMap((r) => (r.definition ? [{ kind: 'segment' as const, id: r.id, workspaceId, name: r.name, definition: r.definition as SegmentNode }] : [])),
    ...tags.flatMap((r) => (r.definition ? [{ kind: 'tag' as const, id: r.id, workspaceId, name: r.name, definition: r.definition as SegmentNode }] : [])),
  ]
}

/**
 * Incremental membership (DESIGN §4): for each batch of the event log, only the profiles the events
 * touch are re-evaluated, and only for the segments those events can affect (a profile that merged
 * is re-evaluated for all). A sequence waiting for "not B within T" gets a job at its deadline, so
 * the profile enters when the time passes without a new event.
 */
export function segmentConsumer(ctx: AppContext): LogConsumer {
  return {
    name: 'segments',
    batchSize: 1000,
    // Conditions look at properties only to tell which segment or tag an internal event is about.
    propertiesOf: INTERNAL_EVENTS,
    prepare: async (tx) => {
      await catchUp(ctx, tx)
      const live = await sql<{ live: boolean }>`SELECT EXISTS (SELECT 1 FROM segments WHERE kind = 'dynamic' AND computed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM tags WHERE kind = 'rule' AND computed_at IS NOT NULL) AS live`.execute(tx)
      return live.rows[0]?.live ? 'ready' : 'idle'
    },
    handle: async (tx, events) => {
      const byWorkspace = new Map<string, LogEvent[]>()
      for (const e of events) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e])
      for (const [workspaceId, list] of byWorkspace) await handleWorkspace(ctx, tx, workspaceId, list)
    },
  }
}

async function handleWorkspace(ctx: AppContext, tx: Transaction<DB>, workspaceId: string, events: LogEvent[]): Promise<void> {
  const audiences = await liveAudiences(tx, workspaceId)
  if (audiences.length === 0) return
  const now = ctx.clock.now()
  // Events name the profile they arrived on; a later merge may have moved it into another.
  const profileIds = [...new Set(events.map((e) => e.profileId))]
  const profiles = await tx.selectFrom('profiles').select(['id', 'merged_into']).where('id', 'in', profileIds).execute()
  const survivorOf = new Map(profiles.map((p) => [p.id, p.merged_into ?? p.id]))
  const survivors = [...new Set(survivorOf.values())]
  // Profiles that absorbed others since these events arrived: every condition may have changed.
  const earliest = new Date(Math.min(...events.map((e) => e.receivedAt.getTime())))
  const merged = new Set((await tx.selectFrom('profile_merges').select('into_profile_id').where('workspace_id', '=', workspaceId).where('into_profile_id', 'in', survivors).where('merged_at', '>=', earliest).execute()).map((m) => m.into_profile_id))
  const timeZone = await workspaceZone(tx, workspaceId)
  const deadlines: Array<{ audience: EvaluableAudience; profileId: string; at: Date; eventId: number }> = []
  for (const audience of audiences) {
    const conditions = conditionsOf(audience.definition)
    const touched = new Set<string>(merged)
    for (const e of events) {
      const survivor = survivorOf.get(e.profileId)
      if (!survivor) continue
      if (conditions.some((c) => affects(c, e))) touched.add(survivor)
      for (const c of conditions) {
        if (c.kind !== 'sequence' || c.mode !== 'not_then' || e.name !== c.first.event) continue
        const at = new Date(e.timestamp.getTime() + c.withinMinutes * 60_000)
        if (at > now) deadlines.push({ audience, profileId: survivor, at, eventId: e.id })
      }
    }
    if (touched.size > 0) await evaluateAudience(tx, audience, { now, actor: 'segments', profileIds: [...touched], timeZone })
  }
  if (deadlines.length > 0) {
    await ctx.jobs.enqueue(
      deadlines.map((d) => ({ queue: REEVALUATE_SEGMENT_QUEUE, workspaceId, runAt: d.at, payload: { kind: d.audience.kind, id: d.audience.id, profileIds: [d.profileId] }, idempotencyKey: `${d.audience.id}:${d.eventId}` })),
      tx,
    )
  }
}

/**
 * A full computation read the log as of a snapshot; events committed after it may have passed the
 * consumer before the audience was live (or while the consumer was idle). Their profiles are
 * evaluated once for that audience, and the snapshot is cleared.
 */
async function catchUp(ctx: AppContext, tx: Transaction<DB>): Promise<void> {
  const [segments, tags] = await Promise.all([
    tx.selectFrom('segments').select(['id', 'workspace_id', 'name', 'definition', 'computed_snapshot']).where('computed_snapshot', 'is not', null).where('kind', '=', 'dynamic').execute(),
    tx.selectFrom('tags').select(['id', 'workspace_id', 'name', 'definition', 'computed_snapshot']).where('computed_snapshot', 'is not', null).where('kind', '=', 'rule').execute(),
  ])
  const pending = [...segments.map((r) => ({ ...r, kind: 'segment' as const })), ...tags.map((r) => ({ ...r, kind: 'tag' as const }))]
  for (const a of pending) {
    // The events that became visible since the computation's snapshot, read like the log (by the
    // (tx_id, id) index, a page at a time); their profiles, followed to survivors.
    const target = (await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(tx)).rows[0]?.s ?? ''
    let position = { done: a.computed_snapshot ?? '', target, cursorTx: '0', cursorId: 0 }
    const touched = new Set<string>()
    const conditions = a.definition ? conditionsOf(a.definition as SegmentNode) : []
    const read = { propertiesOf: INTERNAL_EVENTS }
    for (let page = await readLog(tx, position, 5000, read); page.length > 0; page = await readLog(tx, position, 5000, read)) {
      for (const e of page) if (e.workspaceId === a.workspace_id && conditions.some((c) => affects(c, e))) touched.add(e.profileId)
      const last = page.at(-1)!
      position = { ...position, cursorTx: last.txId, cursorId: last.id }
    }
    const profiles = touched.size === 0 ? [] : await tx.selectFrom('profiles').select(['id', 'merged_into']).where('id', 'in', [...touched]).execute()
    const rows = [...new Set(profiles.map((p) => p.merged_into ?? p.id))].map((id) => ({ id }))
    if (a.definition) await evaluateAudience(tx, { kind: a.kind, id: a.id, workspaceId: a.workspace_id, name: a.name, definition: a.definition as SegmentNode }, { now: ctx.clock.now(), actor: 'segments', profileIds: rows.map((r) => r.id) })
    await tx.updateTable(a.kind === 'segment' ? 'segments' : 'tags').set({ computed_snapshot: null }).where('id', '=', a.id).where('computed_snapshot', '=', a.computed_snapshot).execute()
  }
}

/** Runs a deadline job: the segment or rule tag re-evaluated for its profiles (merged ones followed to their survivor). */
export async function reevaluateAudience(ctx: AppContext, payload: { kind: 'segment' | 'tag'; id: string; profileIds: string[] }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row =
      payload.kind === 'segment'
        ? await tx.selectFrom('segments').select(['id', 'workspace_id', 'name', 'definition', 'computed_at']).where('id', '=', payload.id).where('kind', '=', 'dynamic').executeTakeFirst()
        : await tx.selectFrom('tags').select(['id', 'workspace_id', 'name', 'definition', 'computed_at']).where('id', '=', payload.id).where('kind', '=', 'rule').executeTakeFirst()
    if (!row?.definition || !row.computed_at) return
    const profiles = await tx.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', row.workspace_id).where('id', 'in', payload.profileIds).execute()
    const ids = [...new Set(profiles.map((p) => p.merged_into ?? p.id))]
    await evaluateAudience(tx, { kind: payload.kind, id: row.id, workspaceId: row.workspace_id, name: row.name, definition: row.definition as SegmentNode }, { now: ctx.clock.now(), actor: 'segments', profileIds: ids })
  })
}

/** Recomputes, in full, every segment and rule tag whose membership changes with time alone (sliding windows, relative dates). */
export async function refreshTimeSegments(ctx: AppContext): Promise<number> {
  const [segments, tags] = await Promise.all([
    ctx.db.selectFrom('segments').select(['id', 'workspace_id', 'name', 'definition']).where('kind', '=', 'dynamic').where('changes_with_time', '=', true).where('computed_at', 'is not', null).execute(),
    ctx.db.selectFrom('tags').select(['id', 'workspace_id', 'name', 'definition']).where('kind', '=', 'rule').where('computed_at', 'is not', null).execute(),
  ])
  const due: EvaluableAudience[] = [
    ...segments.map((r) => ({ kind: 'segment' as const, id: r.id, workspaceId: r.workspace_id, name: r.name, definition: r.definition as SegmentNode })),
    ...tags.filter((r) => r.definition && changesWithTime(r.definition as SegmentNode)).map((r) => ({ kind: 'tag' as const, id: r.id, workspaceId: r.workspace_id, name: r.name, definition: r.definition as SegmentNode })),
  ]
  for (const audience of due) await ctx.db.transaction().execute((tx) => evaluateAudience(tx, audience, { now: ctx.clock.now(), actor: 'segments' }))
  return due.length
}
