import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'

/** Thrown when another live process holds PGlite's data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; role: string; url?: string },
  ) {
    super(
      `The data directory ${dataDir} is in use by a running Reachloop ${holder.role} (pid ${holder.pid}` +
        `${holder.url ? `, ${holder.url}` : ''}). PGlite allows one process: stop that process first, ` +
        `or use the console / admin API of the running server, or move to the embedded PostgreSQL or to PostgreSQL (DATABASE_URL), which commands share with the server.`,
    )
    this.name = 'DataDirLockedError'
  }
}

const alive = (pid: number): boolean => {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims the data directory for this process (PGlite is single-process).
 * A lock left by a dead process is taken over.
 *
 * @returns a function that releases the lock
 * @throws DataDirLockedError when a live process holds it
 */
export function lockDataDir(dataDir: string, role: string, url?: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'reachloop.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, JSON.stringify({ pid: process.pid, role, url, startedAt: new Date().toISOString() }))
      closeSync(fd)
      return () => {
        try {
          const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid: number }
          if (holder.pid === process.pid) rmSync(file, { force: true })
        } catch {
          // already gone
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let holder: { pid: number; role: string; url?: string } | undefined
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; role: string; url?: string }
      } catch {
        holder = undefined
      }
      if (holder && alive(holder.pid)) throw new DataDirLockedError(dataDir, holder)
      rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`)
}
