import type { Computation, ComputationKind } from '@reachloop/domain'
import type { AppContext } from '../../platform/context.js'
import { allAudienceKinds, propertyKind, type ComputeJob } from './audience-kinds.js'
import { runningComputations } from './running-computations.js'

/** How long a dead computation job is still shown as failed. */
const FAILED_SHOWN_MS = 7 * 86_400_000

/** Which state wins when a kind's entity has several jobs (a running one and the next, queued). */
const RANK: Record<Computation['state'], number> = { running: 0, retrying: 1, queued: 2, failed: 3 }

const kindJobs = (): Array<{ kind: ComputationKind; job: ComputeJob }> => [
  ...allAudienceKinds().map((k) => ({ kind: k.kind, job: k.computeJob })),
  { kind: 'computed_property' as const, job: propertyKind().computeJob },
]

/**
 * The workspace's full computations that have not finished: from the job table (queued, running,
 * retrying, dead lately), and those running in this process without a job (asked for through the
 * API). One per entity, the most telling first: running, retrying, queued, failed.
 */
export async function listComputations(
  ctx: AppContext,
  workspaceId: string,
  filter: { kind?: ComputationKind | undefined; id?: string | undefined },
): Promise<{ items: Computation[] }> {
  const kinds = kindJobs().filter((k) => !filter.kind || k.kind === filter.kind)
  const byQueue = new Map(kinds.map((k) => [k.job.queue, k]))
  const found = new Map<string, Computation>()
  const offer = (c: Computation) => {
    if (filter.id && c.id !== filter.id) return
    const key = `${c.kind}:${c.id}`
    const held = found.get(key)
    if (!held || RANK[c.state] < RANK[held.state]) found.set(key, c)
  }
  const now = ctx.clock.now()
  for (const job of await ctx.jobs.unfinished(workspaceId, [...byQueue.keys()], new Date(now.getTime() - FAILED_SHOWN_MS))) {
    const owner = byQueue.get(job.queue)
    const id = owner && (job.payload as Record<string, unknown> | null)?.[owner.job.idField]
    if (!owner || typeof id !== 'string') continue
    const state = job.state === 'dead' ? 'failed' : job.state === 'running' ? 'running' : job.attempts > 0 ? 'retrying' : 'queued'
    const since = state === 'failed' ? (job.finishedAt ?? job.updatedAt) : state === 'running' ? job.updatedAt : job.runAt
    offer({ kind: owner.kind, id, state, since: since.toISOString(), attempts: job.attempts, lastError: job.lastError })
  }
  // Running here: a job's computation (its start is more exact than the claim) or one asked for through the API.
  const here = runningComputations().filter((r) => kinds.some((k) => r.key.startsWith(`${k.kind}:`)))
  for (const { kind } of kinds) {
    const mine = here.filter((r) => r.key.startsWith(`${kind}:`))
    if (mine.length === 0) continue
    const ids = mine.map((r) => r.key.slice(kind.length + 1))
    const existing = new Set(await existingOf(ctx, kind, workspaceId, ids))
    for (const r of mine) {
      const id = r.key.slice(kind.length + 1)
      if (!existing.has(id) || (filter.id && id !== filter.id)) continue
      const held = found.get(r.key)
      found.set(r.key, { kind, id, state: 'running', since: r.startedAt.toISOString(), attempts: held?.attempts ?? 0, lastError: null })
    }
  }
  return { items: [...found.values()].sort((a, b) => RANK[a.state] - RANK[b.state] || a.since.localeCompare(b.since)) }
}

const existingOf = (ctx: AppContext, kind: ComputationKind, workspaceId: string, ids: readonly string[]) =>
  kind === 'computed_property'
    ? propertyKind().existing(ctx.db, workspaceId, ids)
    : (allAudienceKinds()
        .find((k) => k.kind === kind)
        ?.existing(ctx.db, workspaceId, ids) ?? Promise.resolve([]))
