import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * A job queue with the schema of its payload: checked when a job is enqueued (a wrong payload is a
 * bug of the caller, thrown at once) and when it is claimed (a job written by an older version, or by
 * hand, that no longer fits goes dead instead of reaching the handler).
 *
 * @example
 * export const COMPUTE_SEGMENT = defineQueue('segments.compute', Type.Object({ segmentId: Type.String() }))
 * await ctx.jobs.enqueue({ queue: COMPUTE_SEGMENT, payload: { segmentId }, workspaceId }, tx)
 */
export interface Queue<S extends TSchema = TSchema> {
  readonly name: string
  readonly payload: S
}

export function defineQueue<S extends TSchema>(name: string, payload: S): Queue<S> {
  return { name, payload }
}

/** Why a payload does not fit its queue (the first problem, with its path), or null when it fits. */
export function payloadProblem(queue: Queue, payload: unknown): string | null {
  if (Value.Check(queue.payload, payload)) return null
  const first = Value.Errors(queue.payload, payload).First()
  return `payload of ${queue.name} does not fit its schema${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`
}

/** The payload as its queue's type, or an error saying where it does not fit. */
export function checkedPayload<S extends TSchema>(queue: Queue<S>, payload: unknown): Static<S> {
  const problem = payloadProblem(queue, payload)
  if (problem) throw new Error(problem)
  return payload as Static<S>
}
