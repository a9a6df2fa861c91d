import { Type, type Static } from '@sinclair/typebox'
import { literalUnion } from '../contract/string-enum.js'
import { Page, PageQuery, route, SerialIdParams, Timestamp } from '../contract/route-contract.js'

export const JobState = literalUnion(['queued', 'running', 'done', 'dead'] as const)
export type JobState = Static<typeof JobState>

/** A durable job. */
export const Job = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  state: JobState,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
})
export type Job = Static<typeof Job>

/** Counts of a queue's jobs by state; `due` are queued jobs whose time has come, `retrying` queued after a failure. */
export const QueueStats = Type.Object({
  queue: Type.String(),
  due: Type.Integer(),
  scheduled: Type.Integer(),
  retrying: Type.Integer(),
  running: Type.Integer(),
  dead: Type.Integer(),
  done: Type.Integer(),
})
export type QueueStats = Static<typeof QueueStats>

export const jobRoutes = {
  listQueues: route({
    method: 'GET',
    path: '/api/v1/jobs/queues',
    tag: 'jobs',
    summary: 'Job counts per queue',
    access: { kind: 'workspace', permission: 'jobs.read' },
    response: Type.Object({ items: Type.Array(QueueStats) }),
  }),
  listJobs: route({
    method: 'GET',
    path: '/api/v1/jobs',
    tag: 'jobs',
    summary: 'Jobs, newest first',
    access: { kind: 'workspace', permission: 'jobs.read' },
    query: Type.Object({ ...PageQuery, queue: Type.Optional(Type.String({ maxLength: 100 })), state: Type.Optional(JobState) }),
    response: Page(Job),
  }),
  retryJob: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/retry',
    tag: 'jobs',
    summary: 'Queue a dead job again',
    access: { kind: 'workspace', permission: 'jobs.manage' },
    params: SerialIdParams,
    response: Job,
  }),
} as const
