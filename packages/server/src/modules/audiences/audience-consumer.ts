import {
  changesWithTime,
  conditionsOf,
  ok,
  PROFILES_MERGED,
  referencedComputedProperties,
  type ComputedDefinition,
  type Result,
  type SegmentNode,
} from '@reachloop/domain'
import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import type { DB } from '../../platform/db/schema.js'
import type { Executor } from '../../platform/db/database.js'
import { snapshotBounds, type LogConsumer, type LogEvent, type LogSkip } from '../../platform/event-log/event-log.js'
import { audienceInputs, propertyInputs, type PropertyEvents } from './audience-inputs.js'
import { runComputation } from './running-computations.js'
import { computeValues, toEvaluableProperty, type EvaluableProperty } from './computed-values.js'
import { carryOverHeldMemberships, evaluateAudience, MEMBERSHIP_EVENTS, workspaceZone, type EvaluableAudience } from './membership.js'
import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

/** The job that re-evaluates a segment for some profiles at a given time (a sequence's deadline). */
export const REEVALUATE_SEGMENT_QUEUE = defineQueue(
  'segments.reevaluate',
  Type.Object({ kind: Type.Union([Type.Literal('segment'), Type.Literal('tag')]), id: Type.String({ minLength: 1 }), profileIds: Type.Array(Type.String({ minLength: 1 })) }),
)
/** The recurring job that recomputes segments whose membership changes with time alone. */
export const REFRESH_SEGMENTS_QUEUE = 'segments.refresh'

/**
 * Membership changes only matter to the audiences built on them: the others stay in the database
 * (a full computation of a large segment appends hundreds of thousands of them).
 */
async function internalEventsOfUse(tx: Transaction<DB>): Promise<LogSkip> {
  const { rows } = await sql<{ definition: SegmentNode }>`
    SELECT definition FROM segments WHERE kind = 'dynamic' AND computed_at IS NOT NULL AND definition IS NOT NULL
    UNION ALL SELECT definition FROM tags WHERE kind = 'rule' AND computed_at IS NOT NULL AND definition IS NOT NULL`.execute(tx)
  const conditions = rows.flatMap((r) => conditionsOf(r.definition))
  const segmentIds = [...new Set(conditions.flatMap((c) => (c.kind === 'segment' ? [c.segmentId] : [])))]
  const tagIds = [...new Set(conditions.flatMap((c) => (c.kind === 'tag' ? [c.tagId] : [])))]
  return {
    names: MEMBERSHIP_EVENTS,
    unless: [
      { property: 'segment_id', values: segmentIds },
      { property: 'tag_id', values: tagIds },
    ],
  }
}

/** Dynamic segments and rule tags of a workspace that have been computed once (the rest wait for their full computation). */
async function liveAudiences(db: Executor, workspaceId: string): Promise<EvaluableAudience[]> {
  const [segments, tags] = await Promise.all([
    db
      .selectFrom('segments')
      .select(['id', 'name', 'definition'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'dynamic')
      .where('computed_at', 'is not', null)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('tags')
      .select(['id', 'name', 'definition'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'rule')
      .where('computed_at', 'is not', null)
      .orderBy('id')
      .execute(),
  ])
  return [
    ...segments.flatMap((r) =>
      r.definition ? [{ kind: 'segment' as const, id: r.id, workspaceId, name: r.name, definition: r.definition as SegmentNode }] : [],
    ),
    ...tags.flatMap((r) =>
      r.definition ? [{ kind: 'tag' as const, id: r.id, workspaceId, name: r.name, definition: r.definition as SegmentNode }] : [],
    ),
  ]
}

/**
 * Incremental membership (DESIGN §4): for each batch of the event log, only the profiles the events
 * touch are re-evaluated, and only for the audiences those events can affect (audience-inputs.ts):
 * a merge (`Profiles Merged`) moves every audience of its survivor, a new profile (`Profile Created`)
 * those an empty profile is in. A sequence waiting for "not B within T" gets a job at its deadline,
 * so the profile enters when the time passes without a new event.
 */
export function segmentConsumer(ctx: AppContext): LogConsumer {
  return {
    name: 'segments',
    // Each audience is evaluated once per batch for all the profiles it touches: under bench:ingest
    // load with 15 live audiences, 5,000 a batch read 3,100 events/s against 1,400 with 1,000.
    batchSize: 5000,
    // Conditions look at properties only to tell which segment or tag an internal event is about.
    propertiesOf: MEMBERSHIP_EVENTS,
    prepare: async (tx) => {
      await catchUp(ctx, tx)
      const live = await sql<{
        live: boolean
      }>`SELECT EXISTS (SELECT 1 FROM segments WHERE kind = 'dynamic' AND computed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM tags WHERE kind = 'rule' AND computed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM computed_properties WHERE computed_at IS NOT NULL)
        -- Merges carry manual tags and static-segment places over to the survivor.
        OR EXISTS (SELECT 1 FROM tags WHERE kind = 'manual' AND size > 0) OR EXISTS (SELECT 1 FROM segments WHERE kind = 'static' AND size > 0) AS live`.execute(
        tx,
      )
      return live.rows[0]?.live ? { skip: await internalEventsOfUse(tx) } : 'idle'
    },
    handle: async (tx, events) => {
      const byWorkspace = new Map<string, LogEvent[]>()
      for (const e of events) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e])
      for (const [workspaceId, list] of byWorkspace) await handleWorkspace(ctx, tx, workspaceId, list)
    },
  }
}

/**
 * A workspace's computed properties: those computed once (the rest wait for their full
 * computation), and what tells which audiences a change can move (each property's event and empty value).
 */
async function workspaceProperties(
  db: Executor,
  workspaceId: string,
): Promise<{ live: EvaluableProperty[]; propertyEvents: PropertyEvents; emptyValues: Map<string, unknown> }> {
  const rows = await db
    .selectFrom('computed_properties')
    .select(['id', 'workspace_id', 'definition', 'bands', 'empty_value', 'computed_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute()
  return {
    live: rows.filter((r) => r.computed_at !== null).map(toEvaluableProperty),
    propertyEvents: new Map(rows.map((r) => [r.id, (r.definition as ComputedDefinition).event])),
    emptyValues: new Map(rows.map((r) => [r.id, r.empty_value])),
  }
}

async function handleWorkspace(ctx: AppContext, tx: Transaction<DB>, workspaceId: string, events: LogEvent[]): Promise<void> {
  const now = ctx.clock.now()
  // Events name the profile they arrived on; a later merge may have moved it into another.
  const profileIds = [...new Set(events.map((e) => e.profileId))]
  const profiles = await tx.selectFrom('profiles').select(['id', 'merged_into']).where('id', 'in', profileIds).execute()
  const survivorOf = new Map(profiles.map((p) => [p.id, p.merged_into ?? p.id]))
  // Survivors of merges: what the merged profiles held by hand (manual tags, static segments) is theirs now.
  const merged = [...new Set(events.flatMap((e) => (e.name === PROFILES_MERGED ? [survivorOf.get(e.profileId) ?? e.profileId] : [])))]
  if (merged.length > 0) await carryOverHeldMemberships(tx, workspaceId, merged, { now, actor: 'segments' })
  const [audiences, context] = await Promise.all([liveAudiences(tx, workspaceId), workspaceProperties(tx, workspaceId)])
  const properties = context.live
  if (audiences.length === 0 && properties.length === 0) return
  const timeZone = await workspaceZone(tx, workspaceId)
  const touchedBy = (inputs: { touches(e: LogEvent): boolean }) => {
    const touched = new Set<string>()
    for (const e of events) if (inputs.touches(e)) touched.add(survivorOf.get(e.profileId) ?? e.profileId)
    return touched
  }
  // Computed values first: conditions on them read the new values.
  const changedValues = new Map<string, string[]>()
  for (const property of properties) {
    const touched = touchedBy(propertyInputs(property.definition))
    if (touched.size > 0)
      changedValues.set(property.id, (await computeValues(tx, property, { now, profileIds: [...touched], timeZone })).changedIds)
  }
  const deadlines: Array<{ audience: EvaluableAudience; profileId: string; at: Date; eventId: number }> = []
  for (const audience of audiences) {
    const conditions = conditionsOf(audience.definition)
    const touched = touchedBy(audienceInputs(audience.definition, context))
    for (const c of conditions) if (c.kind === 'computed') for (const id of changedValues.get(c.propertyId) ?? []) touched.add(id)
    for (const e of events) {
      const survivor = survivorOf.get(e.profileId)
      if (!survivor) continue
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
      deadlines.map((d) => ({
        queue: REEVALUATE_SEGMENT_QUEUE,
        workspaceId,
        runAt: d.at,
        payload: { kind: d.audience.kind, id: d.audience.id, profileIds: [d.profileId] },
        idempotencyKey: `${d.audience.id}:${d.eventId}`,
      })),
      tx,
    )
  }
}

/** The live segments and rule tags that use one of these computed properties. */
export async function audiencesUsing(db: Executor, workspaceId: string, propertyIds: readonly string[]): Promise<EvaluableAudience[]> {
  if (propertyIds.length === 0) return []
  return (await liveAudiences(db, workspaceId)).filter((a) =>
    referencedComputedProperties(a.definition).some((id) => propertyIds.includes(id)),
  )
}

/**
 * The profiles (followed to survivors) of the events that became visible since a snapshot and
 * match a predicate (merges and creations are events too): what a full computation may have missed.
 */
async function touchedSince(tx: Transaction<DB>, workspaceId: string, since: string, predicate: RawBuilder<unknown>): Promise<string[]> {
  const now = (await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(tx)).rows[0]?.s ?? since
  // Snapshot bounds as values, so the planner reads the (tx_id, id) index.
  const { rows } = await sql<{ id: string | null }>`
    WITH touched AS (
      SELECT DISTINCT profile_id FROM events
      WHERE workspace_id = ${workspaceId}
        AND tx_id >= ${snapshotBounds(since).xmin}::xid8 AND tx_id < ${snapshotBounds(now).xmax}::xid8
        AND pg_visible_in_snapshot(tx_id, ${now}::pg_snapshot) AND NOT pg_visible_in_snapshot(tx_id, ${since}::pg_snapshot)
        AND (${predicate}))
    SELECT DISTINCT (SELECT coalesce(p.merged_into, p.id) FROM profiles p WHERE p.id = t.profile_id) AS id FROM touched t`.execute(tx)
  return rows.flatMap((r) => (r.id ? [r.id] : []))
}

/**
 * A full computation read the log as of a snapshot; events committed after it may have passed the
 * consumer before the property, segment or tag was live (or while the consumer was idle). The
 * profiles of those that can affect it are computed once more, found by one query each, and the
 * snapshot is cleared. Properties go first: segments using them follow their changed values.
 */
async function catchUp(ctx: AppContext, tx: Transaction<DB>): Promise<void> {
  const now = ctx.clock.now()
  const properties = await tx
    .selectFrom('computed_properties')
    .select(['id', 'workspace_id', 'definition', 'bands', 'computed_snapshot'])
    .where('computed_snapshot', 'is not', null)
    .execute()
  for (const p of properties) {
    const since = p.computed_snapshot ?? ''
    const property = toEvaluableProperty(p)
    const profileIds = await touchedSince(tx, p.workspace_id, since, propertyInputs(property.definition).predicate)
    const { changedIds } = await computeValues(tx, property, { now, profileIds })
    for (const audience of await audiencesUsing(tx, p.workspace_id, [p.id]))
      await evaluateAudience(tx, audience, { now, actor: 'segments', profileIds: changedIds })
    await tx
      .updateTable('computed_properties')
      .set({ computed_snapshot: null })
      .where('id', '=', p.id)
      .where('computed_snapshot', '=', since)
      .execute()
  }
  const [segments, tags] = await Promise.all([
    tx
      .selectFrom('segments')
      .select(['id', 'workspace_id', 'name', 'definition', 'computed_snapshot'])
      .where('computed_snapshot', 'is not', null)
      .where('kind', '=', 'dynamic')
      .execute(),
    tx
      .selectFrom('tags')
      .select(['id', 'workspace_id', 'name', 'definition', 'computed_snapshot'])
      .where('computed_snapshot', 'is not', null)
      .where('kind', '=', 'rule')
      .execute(),
  ])
  const pending = [...segments.map((r) => ({ ...r, kind: 'segment' as const })), ...tags.map((r) => ({ ...r, kind: 'tag' as const }))]
  const contexts = new Map<string, Awaited<ReturnType<typeof workspaceProperties>>>()
  for (const a of pending) {
    const since = a.computed_snapshot ?? ''
    if (a.definition) {
      const context = contexts.get(a.workspace_id) ?? (await workspaceProperties(tx, a.workspace_id))
      contexts.set(a.workspace_id, context)
      const definition = a.definition as SegmentNode
      const profileIds = await touchedSince(tx, a.workspace_id, since, audienceInputs(definition, context).predicate)
      await evaluateAudience(
        tx,
        { kind: a.kind, id: a.id, workspaceId: a.workspace_id, name: a.name, definition },
        { now, actor: 'segments', profileIds },
      )
    }
    await tx
      .updateTable(a.kind === 'segment' ? 'segments' : 'tags')
      .set({ computed_snapshot: null })
      .where('id', '=', a.id)
      .where('computed_snapshot', '=', since)
      .execute()
  }
}

/**
 * Runs a deadline job: the segment or rule tag re-evaluated for its profiles (merged ones followed
 * to their survivor), bounded and cancellable like a full computation of it.
 */
export async function reevaluateAudience(
  ctx: AppContext,
  payload: { kind: 'segment' | 'tag'; id: string; profileIds: string[] },
): Promise<Result<unknown>> {
  return runComputation(ctx, `${payload.kind}:${payload.id}`, async (tx) => {
    const row =
      payload.kind === 'segment'
        ? await tx
            .selectFrom('segments')
            .select(['id', 'workspace_id', 'name', 'definition', 'computed_at'])
            .where('id', '=', payload.id)
            .where('kind', '=', 'dynamic')
            .executeTakeFirst()
        : await tx
            .selectFrom('tags')
            .select(['id', 'workspace_id', 'name', 'definition', 'computed_at'])
            .where('id', '=', payload.id)
            .where('kind', '=', 'rule')
            .executeTakeFirst()
    if (!row?.definition || !row.computed_at) return ok(null)
    const profiles = await tx
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', row.workspace_id)
      .where('id', 'in', payload.profileIds)
      .execute()
    const ids = [...new Set(profiles.map((p) => p.merged_into ?? p.id))]
    return ok(
      await evaluateAudience(
        tx,
        { kind: payload.kind, id: row.id, workspaceId: row.workspace_id, name: row.name, definition: row.definition as SegmentNode },
        { now: ctx.clock.now(), actor: 'segments', profileIds: ids },
      ),
    )
  })
}

/**
 * Recomputes, in full, every computed property whose value changes with time alone (sliding
 * windows, recency), then every segment and rule tag whose membership does, or whose properties'
 * values just changed. Each is a full computation like any other: bounded by COMPUTE_TIMEOUT_MS
 * and cancellable by an operator; one that stops is logged and the others go on.
 */
export async function refreshTimeSegments(ctx: AppContext): Promise<number> {
  const stopped = (what: string, outcome: Result<unknown>) => {
    if (!outcome.ok)
      ctx.logger.warn(
        { what, code: outcome.code, details: outcome.details },
        'a time refresh stopped; it is tried again at the next refresh',
      )
    return !outcome.ok
  }
  const properties = await ctx.db
    .selectFrom('computed_properties')
    .select(['id', 'workspace_id', 'definition', 'bands'])
    .where('changes_with_time', '=', true)
    .where('computed_at', 'is not', null)
    .execute()
  const changedProperties = new Set<string>()
  for (const p of properties) {
    const outcome = await runComputation(ctx, `computed_property:${p.id}`, async (tx) =>
      ok(await computeValues(tx, toEvaluableProperty(p), { now: ctx.clock.now() })),
    )
    if (!stopped(`computed_property:${p.id}`, outcome) && outcome.ok && outcome.value.changed > 0) changedProperties.add(p.id)
  }
  const [segments, tags] = await Promise.all([
    ctx.db
      .selectFrom('segments')
      .select(['id', 'workspace_id', 'name', 'definition'])
      .where('kind', '=', 'dynamic')
      .where('computed_at', 'is not', null)
      .execute(),
    ctx.db
      .selectFrom('tags')
      .select(['id', 'workspace_id', 'name', 'definition'])
      .where('kind', '=', 'rule')
      .where('computed_at', 'is not', null)
      .execute(),
  ])
  const due: EvaluableAudience[] = [
    ...segments.map((r) => ({
      kind: 'segment' as const,
      id: r.id,
      workspaceId: r.workspace_id,
      name: r.name,
      definition: r.definition as SegmentNode,
    })),
    ...tags.map((r) => ({
      kind: 'tag' as const,
      id: r.id,
      workspaceId: r.workspace_id,
      name: r.name,
      definition: r.definition as SegmentNode,
    })),
  ].filter(
    (a) =>
      a.definition && (changesWithTime(a.definition) || referencedComputedProperties(a.definition).some((id) => changedProperties.has(id))),
  )
  for (const audience of due) {
    const key = `${audience.kind}:${audience.id}` as const
    stopped(
      key,
      await runComputation(ctx, key, async (tx) => ok(await evaluateAudience(tx, audience, { now: ctx.clock.now(), actor: 'segments' }))),
    )
  }
  return properties.length + due.length
}
