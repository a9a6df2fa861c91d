import { join } from 'node:path'
import { AdminApi } from './admin-api.js'
import { openEngineDatabase } from './engine-database.js'
import { postmasterPid, type EngineEnv } from './engine-env.js'
import { batchMaker } from './ingest-batch.js'
import { processTree } from './process-memory.js'
import { killProcess, signalGroup, startServer, stopServer, type ServerProcess } from './reachloop-process.js'

/** One SIGKILL during ingestion and the restart after it. */
export interface CrashTrial {
  /** Events in batches answered 2xx before the kill. */
  acknowledged: number
  /** Of those, how many the restarted platform does not have. */
  lost: number | null
  /** Events acknowledged in earlier trials that are missing now. */
  lostEarlier: number | null
  /** Events stored beyond the acknowledged (requests in flight whose transaction had committed). */
  unacknowledgedStored: number | null
  killedAfterSeconds: number
  /** Whether the postmaster's group was killed too (embedded engine). */
  killedPostmaster: boolean
  /** The restart on the same data directory, untouched: seconds to /readyz, or why it did not come up. */
  restartSeconds: number | null
  restartError?: string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The messageIds of the source's events, read straight from the database beside the running server. */
async function storedMessageIds(environment: EngineEnv, sourceId: string): Promise<Set<string>> {
  const database = await openEngineDatabase(environment)
  try {
    const rows = await database.db.selectFrom('events').select('message_id').where('source_id', '=', sourceId).execute()
    return new Set(rows.map((r) => r.message_id))
  } finally {
    await database.close()
  }
}

/**
 * `trials` times: `clients` clients post batches as fast as they are taken; after 1.5–4 s the
 * server's process group is SIGKILLed — and on the embedded engine the postmaster's group and
 * every postgres process under it at the same instant, as a machine crash would end them — then
 * the server starts again on the same data directory with no cleanup, and the acknowledged events
 * are looked for, attaching to the database while the restarted server runs.
 */
export async function crashTrials(
  environment: EngineEnv,
  trials: number,
  options: { clients: number; batchSize: number },
): Promise<CrashTrial[]> {
  const log = join(environment.logDir, 'crash.log')
  let server: ServerProcess | null = await startServer(environment.env, log)
  const api = await AdminApi.setup(server.url, { email: 'crash@example.com', password: 'bench-password', workspace: 'Crash' })
  const source = await api.must<{ id: string; writeKey: string }>('POST', '/api/v1/sources', { name: 'crash', kind: 'server' })
  const auth = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`
  const makeBatch = batchMaker(options.batchSize)
  const acknowledged: string[] = []
  const results: CrashTrial[] = []
  let unacknowledgedBefore = 0
  try {
    for (let trial = 0; trial < trials; trial++) {
      server ??= await startServer(environment.env, log)
      const target: ServerProcess = server
      let stop = false
      const clients = Array.from({ length: options.clients }, async () => {
        while (!stop) {
          const batch = makeBatch()
          try {
            const res = await fetch(`${target.url}/v1/batch`, {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/json' },
              body: batch.body,
              signal: AbortSignal.timeout(30_000),
            })
            const json = (await res.json()) as { rejected?: Array<{ index: number }> }
            if (!res.ok) continue
            const refused = new Set((json.rejected ?? []).map((r) => r.index))
            batch.messageIds.forEach((id, i) => {
              if (!refused.has(i)) acknowledged.push(id)
            })
          } catch {
            // The server is gone: the batch was not acknowledged.
            await sleep(5)
          }
        }
      })
      const before = acknowledged.length
      const killAfter = 1.5 + Math.random() * 2.5
      await sleep(killAfter * 1000)
      const postmaster = environment.engine === 'embedded' ? postmasterPid(environment.dataDir) : null
      // PostgreSQL puts each child in a session of its own (setsid), so the postmaster's group holds
      // the postmaster alone: its whole tree is listed first and killed with it, as a crash would.
      const postgresTree = postmaster ? processTree([postmaster]) : []
      signalGroup(target.pid, 'SIGKILL')
      if (postmaster) signalGroup(postmaster, 'SIGKILL')
      for (const pid of postgresTree) killProcess(pid)
      stop = true
      await Promise.all(clients)
      await target.exited
      server = null
      const alive = () => postgresTree.filter((pid) => processTree([pid]).length > 0)
      for (let i = 0; alive().length > 0 && i < 100; i++) await sleep(100)

      const figure: CrashTrial = {
        acknowledged: acknowledged.length - before,
        lost: null,
        lostEarlier: null,
        unacknowledgedStored: null,
        killedAfterSeconds: killAfter,
        killedPostmaster: postmaster !== null,
        restartSeconds: null,
      }
      results.push(figure)
      try {
        server = await startServer(environment.env, log, 180_000)
        figure.restartSeconds = server.readySeconds
      } catch (error) {
        figure.restartError = error instanceof Error ? error.message.split('\n')[0] : String(error)
        break
      }
      const stored = await storedMessageIds(environment, source.id)
      const ackedSet = new Set(acknowledged)
      figure.lost = acknowledged.slice(before).filter((id) => !stored.has(id)).length
      figure.lostEarlier = acknowledged.slice(0, before).filter((id) => !stored.has(id)).length
      const extra = [...stored].filter((id) => !ackedSet.has(id)).length
      figure.unacknowledgedStored = extra - unacknowledgedBefore
      unacknowledgedBefore = extra
    }
  } finally {
    if (server) await stopServer(server)
  }
  return results
}
