import { readdirSync, readFileSync } from 'node:fs'

/** Resident memory of a set of processes, MB: the sum of their RSS, and of their PSS (shared pages divided among their users). */
export interface Memory {
  rssMb: number
  pssMb: number
  processes: number
}

const parentOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (2nd field) may hold spaces and parentheses: the fields after it start past the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) ? ppid : null
  } catch {
    return null
  }
}

/** `roots` and all their descendants that are alive now. */
export function processTree(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const ppid = parentOf(pid)
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  }
  const found = new Set<number>()
  const queue = roots.filter((pid) => pid > 0 && parentOf(pid) !== null)
  while (queue.length > 0) {
    const pid = queue.pop() ?? 0
    if (found.has(pid)) continue
    found.add(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return [...found]
}

const kb = (text: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0)

/** RSS and PSS summed over `pids` (a process gone meanwhile counts 0). */
export function memoryOf(pids: readonly number[]): Memory {
  let rss = 0
  let pss = 0
  let processes = 0
  for (const pid of pids) {
    try {
      rss += kb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS')
      pss += kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss')
      processes += 1
    } catch {
      // exited between the listing and the read
    }
  }
  return { rssMb: rss / 1024, pssMb: pss / 1024, processes }
}

/**
 * Samples the memory of the process trees under `roots()` every `everyMs` and keeps the peak of
 * each sum (VmHWM of one process says nothing of a tree whose members peak at different times).
 */
export function sampleMemory(roots: () => number[], everyMs = 200): { stop(): Memory } {
  const peak: Memory = { rssMb: 0, pssMb: 0, processes: 0 }
  const sample = () => {
    const now = memoryOf(processTree(roots()))
    peak.rssMb = Math.max(peak.rssMb, now.rssMb)
    peak.pssMb = Math.max(peak.pssMb, now.pssMb)
    peak.processes = Math.max(peak.processes, now.processes)
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}
