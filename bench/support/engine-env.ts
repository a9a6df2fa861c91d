import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processTree } from './process-memory.js'
import { killProcess } from './reachloop-process.js'
import { createScratchDatabase } from '@reachloop/server/testing'

/** What the bench measures: the embedded PostgreSQL server the process supervises, or an external PostgreSQL for comparison. */
export type BenchEngine = 'embedded' | 'postgres'
export const BENCH_ENGINES: readonly BenchEngine[] = ['embedded', 'postgres']

export const isBenchEngine = (name: string): name is BenchEngine => (BENCH_ENGINES as readonly string[]).includes(name)

/** A fresh, empty data directory and the environment that runs Reachloop on it with `engine`. */
export interface EngineEnv {
  engine: BenchEngine
  dataDir: string
  env: Record<string, string>
  /** Where the servers' and commands' output goes. */
  logDir: string
  dispose(): Promise<void>
}

/** Pid of the postmaster serving `dataDir` (first line of its `postgres/postmaster.pid`), if one is alive. */
export function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postgres', 'postmaster.pid')
  if (!existsSync(file)) return null
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null
  }
}

/**
 * A temp folder holding `data` (left for Reachloop to create, as on a first run) and the logs.
 * The folder is world-traversable like a normal `./data` parent: as root the embedded
 * PostgreSQL runs as another user.
 */
export async function engineEnv(engine: BenchEngine, label: string, pgUrl: string): Promise<EngineEnv> {
  const root = mkdtempSync(join(tmpdir(), `reachloop-bench-${engine}-${label}-`))
  chmodSync(root, 0o755)
  const dataDir = join(root, 'data')
  const base = { engine, dataDir, logDir: root }
  if (engine === 'embedded') {
    const dispose = async () => {
      // A postmaster left behind (its Reachloop process killed) would hold the folder's files.
      const left = postmasterPid(dataDir)
      if (left) for (const pid of processTree([left])) killProcess(pid)
      rmSync(root, { recursive: true, force: true })
    }
    return { ...base, env: { DATA_DIR: dataDir, DATABASE_URL: '' }, dispose }
  }
  const scratch = await createScratchDatabase(pgUrl, 'rl_bench')
  return {
    ...base,
    env: { DATA_DIR: dataDir, DATABASE_URL: scratch.url },
    dispose: async () => {
      await scratch.drop()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** The processes whose memory is the engine's: the Reachloop process and, on the embedded engine, the postmaster (their trees are walked). */
export const memoryRoots = (environment: EngineEnv, reachloopPid: number) => (): number[] => {
  const postmaster = environment.engine === 'embedded' ? postmasterPid(environment.dataDir) : null
  return postmaster ? [reachloopPid, postmaster] : [reachloopPid]
}
