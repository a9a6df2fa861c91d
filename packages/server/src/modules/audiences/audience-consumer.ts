import { conditionsOf, PROFILES_MERGED } from '@reachloop/domain'
import type { Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import type { DB } from '../../platform/db/schema.js'
import type { LogConsumer, LogEvent, LogSkip } from '../../platform/event-log/event-log.js'
import { survivorsOf } from '../identity/index.js'
import { audienceInputs, propertyInputs } from './audience-inputs.js'
import { allAudienceKinds, propertyKind, type EvaluableAudience } from './audience-kinds.js'
import { catchUp } from './catch-up.js'
import { policiesIfRead } from './consent-kind.js'
import { carryOverHeldMemberships } from './held-memberships.js'
import { liveAudiences } from './live-audiences.js'
import { evaluateAudience, MEMBERSHIP_EVENTS } from './membership.js'
import { REEVALUATE_SEGMENT_QUEUE } from './time-refresh.js'
import { workspaceZone } from './workspace-zone.js'

/**
 * Membership changes only matter to the audiences built on them: the others stay in the database
 * (a full computation of a large segment appends hundreds of thousands of them).
 */
async function internalEventsOfUse(tx: Transaction<DB>): Promise<LogSkip> {
  const conditions = (await liveAudiences(tx)).flatMap((a) => conditionsOf(a.definition))
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

/** Whether anything waits on the log: a live audience or property, or memberships held by hand (merges carry them over). */
async function inUse(tx: Transaction<DB>): Promise<boolean> {
  for (const kind of [...allAudienceKinds(), propertyKind()]) if (await kind.inUse(tx)) return true
  return false
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
      return (await inUse(tx)) ? { skip: await internalEventsOfUse(tx) } : 'idle'
    },
    handle: async (tx, events) => {
      const byWorkspace = new Map<string, LogEvent[]>()
      for (const e of events) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e])
      for (const [workspaceId, list] of byWorkspace) await handleWorkspace(ctx, tx, workspaceId, list)
    },
  }
}

/** A "not B within T" sequence waiting on a profile: re-evaluated at `at` by a job. */
interface Deadline {
  audience: EvaluableAudience
  profileId: string
  at: Date
  eventId: number
}

/** The deadlines the events start: each first event of a "not then" sequence, `withinMinutes` later. */
function deadlinesOf(
  audience: EvaluableAudience,
  events: readonly LogEvent[],
  survivorOf: ReadonlyMap<string, string>,
  now: Date,
): Deadline[] {
  const deadlines: Deadline[] = []
  const conditions = conditionsOf(audience.definition)
  for (const e of events) {
    const survivor = survivorOf.get(e.profileId)
    if (!survivor) continue
    for (const c of conditions) {
      if (c.kind !== 'sequence' || c.mode !== 'not_then' || e.name !== c.first.event) continue
      const at = new Date(e.timestamp.getTime() + c.withinMinutes * 60_000)
      if (at > now) deadlines.push({ audience, profileId: survivor, at, eventId: e.id })
    }
  }
  return deadlines
}

async function handleWorkspace(ctx: AppContext, tx: Transaction<DB>, workspaceId: string, events: LogEvent[]): Promise<void> {
  const now = ctx.clock.now()
  // Events name the profile they arrived on; a later merge may have moved it into another.
  const survivorOf = await survivorsOf(tx, workspaceId, [...new Set(events.map((e) => e.profileId))])
  // Survivors of merges: what the merged profiles held by hand (manual tags, static segments) is theirs now.
  const merged = [...new Set(events.flatMap((e) => (e.name === PROFILES_MERGED ? [survivorOf.get(e.profileId) ?? e.profileId] : [])))]
  if (merged.length > 0) await carryOverHeldMemberships(tx, workspaceId, merged, { now, actor: 'segments' })
  const [audiences, properties] = await Promise.all([liveAudiences(tx, { workspaceId }), propertyKind().workspace(tx, workspaceId)])
  if (audiences.length === 0 && properties.live.length === 0) return
  const policies = await policiesIfRead(
    tx,
    workspaceId,
    audiences.map((a) => a.definition),
  )
  const context = { ...properties, policies }
  const timeZone = await workspaceZone(tx, workspaceId)
  const touchedBy = (inputs: { touches(e: LogEvent): boolean }) => {
    const touched = new Set<string>()
    for (const e of events) if (inputs.touches(e)) touched.add(survivorOf.get(e.profileId) ?? e.profileId)
    return touched
  }
  // Computed values first: conditions on them read the new values.
  const changedValues = new Map<string, string[]>()
  for (const property of context.live) {
    const touched = touchedBy(propertyInputs(property.definition))
    if (touched.size > 0)
      changedValues.set(
        property.id,
        (await propertyKind().computeValues(tx, property, { now, profileIds: [...touched], timeZone })).changedIds,
      )
  }
  const deadlines: Deadline[] = []
  for (const audience of audiences) {
    const touched = touchedBy(audienceInputs(audience.definition, context))
    for (const c of conditionsOf(audience.definition))
      if (c.kind === 'computed') for (const id of changedValues.get(c.propertyId) ?? []) touched.add(id)
    deadlines.push(...deadlinesOf(audience, events, survivorOf, now))
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
