import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/** What a running PostgreSQL server writes into `postmaster.pid` in its data directory. */
export interface Postmaster {
  pid: number
  port: number
  /** `starting`, `ready`, `stopping` or `standby` (PostgreSQL 10+). */
  status: string
}

/** Reads `postmaster.pid` of the cluster in `pgdata`, or null when there is none (or it is half-written). */
export function readPostmaster(pgdata: string): Postmaster | null {
  const file = join(pgdata, 'postmaster.pid')
  if (!existsSync(file)) return null
  let lines: string[]
  try {
    lines = readFileSync(file, 'utf8').split('\n')
  } catch {
    return null
  }
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null
  return { pid, port, status: (lines[7] ?? '').trim() }
}

/** Whether a process with `pid` exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether `pid` is a PostgreSQL server of `pgdata`. After a crash and a reboot (or a new container),
 * the pid in a stale `postmaster.pid` can belong to an unrelated process, and PostgreSQL then refuses
 * to start; the command line tells them apart where /proc exists.
 */
export function isPostmasterOf(pid: number, pgdata: string): boolean {
  if (!processAlive(pid)) return false
  const cmdline = `/proc/${pid}/cmdline`
  if (!existsSync('/proc/self/cmdline')) return true
  try {
    const args = readFileSync(cmdline, 'utf8').split('\0')
    return args.some((a) => a.endsWith('postgres')) && args.includes(pgdata)
  } catch {
    return false
  }
}

/** Removes a `postmaster.pid` whose server is gone, so PostgreSQL starts without manual cleanup. */
export function removeStalePostmaster(pgdata: string): void {
  rmSync(join(pgdata, 'postmaster.pid'), { force: true })
}
