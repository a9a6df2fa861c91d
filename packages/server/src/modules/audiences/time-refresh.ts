import { changesWithTime, ok, referencedComputedProperties, type Result } from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import type { AppContext } from '../../platform/context.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { survivorsOf } from '../identity/index.js'
import { audienceKind, propertyKind } from './audience-kinds.js'
import { liveAudiences } from './live-audiences.js'
import { evaluateAudience } from './membership.js'
import { runComputation } from './running-computations.js'

/** The job that re-evaluates a segment or rule tag for some profiles at a given time (a sequence's deadline). */
export const REEVALUATE_SEGMENT_QUEUE = defineQueue(
  'segments.reevaluate',
  Type.Object({
    kind: Type.Union([Type.Literal('segment'), Type.Literal('tag')]),
    id: Type.String({ minLength: 1 }),
    profileIds: Type.Array(Type.String({ minLength: 1 })),
  }),
)

/** The recurring job that recomputes segments whose membership changes with time alone. */
export const REFRESH_SEGMENTS_QUEUE = 'segments.refresh'

/**
 * Runs a deadline job: the segment or rule tag re-evaluated for its profiles (merged ones followed
 * to their survivor), bounded and cancellable like a full computation of it.
 */
export async function reevaluateAudience(
  ctx: AppContext,
  payload: { kind: 'segment' | 'tag'; id: string; profileIds: string[] },
): Promise<Result<unknown>> {
  return runComputation(ctx, `${payload.kind}:${payload.id}`, async (tx) => {
    const [audience] = await audienceKind(payload.kind).live(tx, { id: payload.id })
    if (!audience) return ok(null)
    const survivors = await survivorsOf(tx, audience.workspaceId, payload.profileIds)
    return ok(
      await evaluateAudience(tx, audience, { now: ctx.clock.now(), actor: 'segments', profileIds: [...new Set(survivors.values())] }),
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
  const properties = await propertyKind().changingWithTime(ctx.db)
  const changedProperties = new Set<string>()
  for (const p of properties) {
    const outcome = await runComputation(ctx, `computed_property:${p.id}`, async (tx) =>
      ok(await propertyKind().computeValues(tx, p, { now: ctx.clock.now() })),
    )
    if (!stopped(`computed_property:${p.id}`, outcome) && outcome.ok && outcome.value.changed > 0) changedProperties.add(p.id)
  }
  const due = (await liveAudiences(ctx.db)).filter(
    (a) => changesWithTime(a.definition) || referencedComputedProperties(a.definition).some((id) => changedProperties.has(id)),
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
