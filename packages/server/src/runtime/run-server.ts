import type { FastifyInstance } from 'fastify'
import type { Config, ProcessRole } from '../platform/config/config.js'
import type { AppContext } from '../platform/context.js'
import { EventLogRunner } from '../platform/event-log/event-log.js'
import { JobWorker } from '../platform/jobs/job-worker.js'
import { startRecurring } from '../platform/jobs/recurring.js'
import { createContext } from './create-context.js'
import { buildServerApp, recurringTasks, registerJobHandlers, registerLogConsumers } from './job-handlers.js'

/** A running process: its context, HTTP server and worker (each when its role asks for it). */
export interface RunningServer {
  ctx: AppContext
  app: FastifyInstance | undefined
  worker: JobWorker | undefined
  log: EventLogRunner | undefined
  stop(): Promise<void>
}

/**
 * Starts the api and/or worker roles. Shutdown stops taking work, lets in-flight requests and jobs
 * finish, then closes the database (stopping the embedded server unless another process still uses it).
 */
export async function runServer(config: Config, roles: readonly ProcessRole[]): Promise<RunningServer> {
  const open = await createContext(config, { role: roles.includes('api') ? 'server' : 'worker' })
  const { ctx } = open
  let app: FastifyInstance | undefined
  let worker: JobWorker | undefined
  let log: EventLogRunner | undefined
  try {
    if (roles.includes('worker')) {
      worker = new JobWorker(ctx.jobs, {
        concurrency: config.workerConcurrency,
        leaseMs: config.jobLeaseSeconds * 1000,
        pollMs: config.jobPollMs,
        logger: ctx.logger,
      })
      registerJobHandlers(worker, ctx)
      await startRecurring(worker, ctx.jobs, ctx.clock, recurringTasks(ctx))
      worker.start()
      log = new EventLogRunner(ctx.db, ctx.clock, {
        pollMs: config.logPollMs,
        logger: ctx.logger,
        // Ingestion in this process within the last second: the statistics consumers yield to it.
        busy: () => ctx.state.lastIngestAt > 0 && performance.now() - ctx.state.lastIngestAt < 1000,
      })
      registerLogConsumers(log, ctx)
      log.start()
    }
    if (roles.includes('api')) {
      app = await buildServerApp(ctx)
      await app.listen({ port: config.port, host: config.host })
    }
  } catch (error) {
    await worker?.stop(0)
    await log?.stop()
    await app?.close()
    await open.close()
    throw error
  }
  ctx.state.ready = true
  ctx.logger.info(
    {
      roles,
      engine: ctx.database.engine,
      url: roles.includes('api') ? config.publicUrl : undefined,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    },
    'reachloop started',
  )
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      ctx.state.ready = false
      ctx.logger.info('reachloop stopping: finishing in-flight requests and jobs')
      await Promise.all([app?.close(), worker?.stop(), log?.stop()])
      await open.close()
      ctx.logger.info('reachloop stopped')
    })())
  return { ctx, app, worker, log, stop }
}
