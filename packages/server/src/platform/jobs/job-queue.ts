import type { Clock } from '@reachloop/domain'
import type { Static, TSchema } from '@sinclair/typebox'
import { sql, type Kysely } from 'kysely'
import type { Executor } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { checkedPayload, type Queue } from './queue.js'

/** A job to run on a module's queue: its payload is checked against the queue's schema. */
export interface NewJob<S extends TSchema = TSchema> {
  queue: Queue<S>
  payload: Static<S>
  /** When it becomes due; now if absent. */
  runAt?: Date
  workspaceId?: string | null
  maxAttempts?: number
  /** A second job with the same queue and key is not created while the first is kept. */
  idempotencyKey?: string
}

/** A job by queue name, its payload unchecked. */
export type RawJob = Omit<NewJob, 'queue' | 'payload'> & { queue: string; payload?: unknown }

/** A job claimed by a worker: its lease holds until `leaseExpiresAt` unless extended. */
export interface ClaimedJob {
  id: number
  queue: string
  payload: unknown
  workspaceId: string | null
  attempts: number
  maxAttempts: number
  runAt: Date
  claimedAt: Date
}

/** A job that has not finished, or died (`JobQueue.unfinished`). */
export interface UnfinishedJob {
  id: number
  queue: string
  payload: unknown
  state: 'queued' | 'running' | 'dead'
  attempts: number
  runAt: Date
  updatedAt: Date
  finishedAt: Date | null
  lastError: string | null
}

/** Backoff before retry `attempt` (1-based): 2^(attempt-1) seconds with ±20 % jitter, at most an hour. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (0.8 + 0.4 * random()))
}

/**
 * The durable job table of DESIGN §5. Workers claim due jobs with `FOR UPDATE SKIP LOCKED`, hold
 * them under a lease, and finish, retry or dead-letter them. Completion is fenced by the attempt
 * number, so a worker whose lease expired cannot finish a job another worker has taken over.
 */
export class JobQueue {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds jobs (in `db`, which may be the caller's transaction). Returns ids; an idempotent duplicate
   * returns the existing id. A module's job names its queue, and a payload that does not fit the
   * queue's schema throws before anything is added; the platform's own jobs (recurring slots, ping)
   * and the job table's tests name a queue by its name.
   */
  async enqueue<S extends TSchema>(jobs: NewJob<S> | Array<NewJob<S>>, db?: Executor): Promise<number[]>
  async enqueue(jobs: RawJob | RawJob[], db?: Executor): Promise<number[]>
  async enqueue(jobs: NewJob | RawJob | Array<NewJob | RawJob>, db: Executor = this.db): Promise<number[]> {
    const list = (Array.isArray(jobs) ? jobs : [jobs]).map((job) =>
      typeof job.queue === 'string' ? (job as RawJob) : { ...job, queue: job.queue.name, payload: checkedPayload(job.queue, job.payload) },
    )
    if (list.length === 0) return []
    const now = this.clock.now()
    const rows = list.map((job) => ({
      queue: job.queue,
      payload: JSON.stringify(job.payload ?? {}),
      run_at: job.runAt ?? now,
      workspace_id: job.workspaceId ?? null,
      max_attempts: job.maxAttempts ?? 5,
      idempotency_key: job.idempotencyKey ?? null,
      lease_expires_at: null,
      locked_by: null,
      last_error: null,
      finished_at: null,
      created_at: now,
      updated_at: now,
    }))
    const inserted = await db
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => oc.columns(['queue', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
      .returning(['id', 'queue', 'idempotency_key'])
      .execute()
    const key = (queue: string, idempotencyKey: string) => `${queue}\u0000${idempotencyKey}`
    const keyed = new Map<string, number>()
    const unkeyed: number[] = []
    for (const r of inserted) {
      if (r.idempotency_key === null) unkeyed.push(r.id)
      else keyed.set(key(r.queue, r.idempotency_key), r.id)
    }
    for (const job of list) {
      if (job.idempotencyKey === undefined || keyed.has(key(job.queue, job.idempotencyKey))) continue
      const existing = await db
        .selectFrom('jobs')
        .select('id')
        .where('queue', '=', job.queue)
        .where('idempotency_key', '=', job.idempotencyKey)
        .executeTakeFirstOrThrow()
      keyed.set(key(job.queue, job.idempotencyKey), existing.id)
    }
    let next = 0
    return list.map((job) => (job.idempotencyKey === undefined ? unkeyed[next++] : keyed.get(key(job.queue, job.idempotencyKey))) ?? 0)
  }

  /** Claims up to `limit` due jobs of `queues` for `workerId`. */
  async claim(workerId: string, queues: readonly string[], limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    if (queues.length === 0 || limit <= 0) return []
    const now = this.clock.now()
    const leaseUntil = new Date(now.getTime() + leaseMs)
    const result = await sql<{
      id: number
      queue: string
      payload: unknown
      workspace_id: string | null
      attempts: number
      max_attempts: number
      run_at: Date
    }>`
      UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_expires_at = ${leaseUntil}, locked_by = ${workerId}, updated_at = ${now}
      WHERE id IN (
        SELECT id FROM jobs
        WHERE state = 'queued' AND run_at <= ${now} AND queue = ANY(${[...queues]}::text[])
        ORDER BY run_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, queue, payload, workspace_id, attempts, max_attempts, run_at`.execute(this.db)
    return result.rows.map((r) => ({
      id: r.id,
      queue: r.queue,
      payload: r.payload,
      workspaceId: r.workspace_id,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAt: r.run_at,
      claimedAt: now,
    }))
  }

  /**
   * A workspace's jobs of `queues` that are not done — queued, running, or dead since `deadSince` —
   * newest first (what the console shows as a computation in progress or failed).
   */
  async unfinished(workspaceId: string, queues: readonly string[], deadSince: Date): Promise<UnfinishedJob[]> {
    if (queues.length === 0) return []
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'queue', 'payload', 'state', 'attempts', 'run_at', 'updated_at', 'finished_at', 'last_error'])
      .where('workspace_id', '=', workspaceId)
      .where('queue', 'in', [...queues])
      .where((eb) =>
        eb.or([eb('state', 'in', ['queued', 'running']), eb.and([eb('state', '=', 'dead'), eb('finished_at', '>=', deadSince)])]),
      )
      .orderBy('id', 'desc')
      .limit(1000)
      .execute()
    return rows.map((r) => ({
      id: r.id,
      queue: r.queue,
      payload: r.payload,
      state: r.state as UnfinishedJob['state'],
      attempts: r.attempts,
      runAt: r.run_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
      lastError: r.last_error,
    }))
  }

  /** Marks jobs done; each is matched on its attempt number (the fence). Returns how many were finished. */
  async complete(jobs: readonly Pick<ClaimedJob, 'id' | 'attempts'>[]): Promise<number> {
    if (jobs.length === 0) return 0
    const now = this.clock.now()
    const result = await sql`
      UPDATE jobs SET state = 'done', finished_at = ${now}, updated_at = ${now}, lease_expires_at = NULL, locked_by = NULL
      FROM unnest(${jobs.map((j) => j.id)}::bigint[], ${jobs.map((j) => j.attempts)}::int[]) AS done(id, attempts)
      WHERE jobs.id = done.id AND jobs.attempts = done.attempts AND jobs.state = 'running'`.execute(this.db)
    return Number(result.numAffectedRows ?? 0)
  }

  /**
   * Records a failed attempt: queued again after a backoff, or dead after the last attempt;
   * `stale` when the attempt had already lost its lease to another worker (nothing is changed).
   */
  async fail(job: Pick<ClaimedJob, 'id' | 'attempts' | 'maxAttempts'>, error: string): Promise<'retry' | 'dead' | 'stale'> {
    const now = this.clock.now()
    const dead = job.attempts >= job.maxAttempts
    const result = await this.db
      .updateTable('jobs')
      .set({
        state: dead ? 'dead' : 'queued',
        run_at: dead ? now : new Date(now.getTime() + backoffMs(job.attempts)),
        last_error: error.slice(0, 4000),
        lease_expires_at: null,
        locked_by: null,
        finished_at: dead ? now : null,
        updated_at: now,
      })
      .where('id', '=', job.id)
      .where('attempts', '=', job.attempts)
      .where('state', '=', 'running')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return 'stale'
    return dead ? 'dead' : 'retry'
  }

  /** Pushes the lease of jobs still running on this worker forward. */
  async extendLeases(workerId: string, jobs: readonly Pick<ClaimedJob, 'id' | 'attempts'>[], leaseMs: number): Promise<void> {
    if (jobs.length === 0) return
    const now = this.clock.now()
    await sql`
      UPDATE jobs SET lease_expires_at = ${new Date(now.getTime() + leaseMs)}, updated_at = ${now}
      FROM unnest(${jobs.map((j) => j.id)}::bigint[], ${jobs.map((j) => j.attempts)}::int[]) AS mine(id, attempts)
      WHERE jobs.id = mine.id AND jobs.attempts = mine.attempts AND jobs.state = 'running' AND jobs.locked_by = ${workerId}`.execute(
      this.db,
    )
  }

  /**
   * Jobs whose worker vanished (lease expired): queued again at once, or dead when that was their
   * last attempt. Any worker may run this.
   */
  async recoverExpired(): Promise<number> {
    const now = this.clock.now()
    const result = await sql`
      UPDATE jobs SET
        state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
        finished_at = CASE WHEN attempts >= max_attempts THEN ${now}::timestamptz ELSE NULL END,
        last_error = 'lease expired: the worker stopped or lost the database before finishing',
        run_at = ${now}, lease_expires_at = NULL, locked_by = NULL, updated_at = ${now}
      WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < ${now} LIMIT 1000 FOR UPDATE SKIP LOCKED)`.execute(
      this.db,
    )
    return Number(result.numAffectedRows ?? 0)
  }

  /** Deletes finished jobs older than `olderThanMs` (their idempotency keys are freed with them). */
  async pruneDone(olderThanMs: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - olderThanMs)
    const result =
      await sql`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND finished_at < ${cutoff} LIMIT 5000)`.execute(
        this.db,
      )
    return Number(result.numAffectedRows ?? 0)
  }
}
