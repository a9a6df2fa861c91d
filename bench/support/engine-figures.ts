import type { CrashTrial } from './crash-trials.js'
import type { BenchEngine } from './engine-env.js'
import type { HealthFigures } from './health-probe.js'
import type { LoadFigures } from './ingest-load.js'
import type { InstallSize } from './install-size.js'
import type { Memory } from './process-memory.js'
import type { PreviewFigure } from './segment-previews.js'

/** Everything measured on one engine; a part that failed leaves its figures out and says why in `errors`. */
export interface EngineFigures {
  engine: BenchEngine
  errors: string[]
  /** What the run noticed beside the figures (a postgres left running, the machine's load). */
  notes: string[]
  firstStartSeconds?: number
  warmStartSeconds?: number
  /** Idle a few seconds after the first start (which migrated the empty database) and after the warm start. */
  idleMemory?: Memory
  idleMemoryWarm?: Memory
  ingest?: LoadFigures & { peakMemory: Memory }
  demo?: { seconds: number; summary: string; peakMemory: Memory }
  startOnDemoSeconds?: number
  /** Seconds until the worker's computation was done (null: not within RFM_TIMEOUT). */
  rfm?: { seconds: number | null; health: HealthFigures }
  previews?: PreviewFigure[]
  /** What was done after a preview (or the RFM computation) timed out. */
  recoveries: string[]
  underLoad?: { computeSeconds: number | null; previews: PreviewFigure[]; skipped: string[]; health: HealthFigures }
  install?: InstallSize
  crash?: CrashTrial[]
}
