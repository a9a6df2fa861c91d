import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { CLI_ENTRY, freePort } from '@reachloop/server/testing'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = ['--conditions=source', '--import', 'tsx', CLI_ENTRY]

/** Every process group this bench started, so they can be ended at exit whatever happened. */
const groups = new Set<ChildProcess>()

/** A Reachloop server process (`reachloop start`) and where it answers. */
export interface ServerProcess {
  child: ChildProcess
  pid: number
  url: string
  /** From spawn to the first 200 of /readyz. */
  readySeconds: number
  exited: Promise<void>
  logFile: string
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

const tail = (file: string, lines = 20): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/**
 * Spawns `node … main.ts <args>` in a process group of its own (so the group can be SIGKILLed as
 * a whole, as a machine crash would end it), its output appended to `logFile`.
 */
function spawnReachloop(
  args: string[],
  env: Record<string, string>,
  logFile: string,
  stdout: 'pipe' | 'log',
  nodeArgs: readonly string[] = [],
): { child: ChildProcess; exited: Promise<void> } {
  const out = openSync(logFile, 'a')
  const child = spawn(process.execPath, [...nodeArgs, ...MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', stdout === 'pipe' ? 'pipe' : out, out],
  })
  closeSync(out)
  groups.add(child)
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  void exited.then(() => groups.delete(child))
  return { child, exited }
}

/** Sends `signal` to the process group led by `pid`; false when there is none. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/** SIGKILLs one process; false when it is already gone. */
export function killProcess(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL')
    return true
  } catch {
    return false
  }
}

/**
 * Starts `reachloop start` and waits until /readyz answers 200 (throws with the log's tail if it never does).
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not take).
 */
export async function startServer(
  env: Record<string, string>,
  logFile: string,
  readyTimeoutMs = 300_000,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const port = await freePort()
  const started = performance.now()
  const { child, exited } = spawnReachloop(['start'], { ...env, PORT: String(port), HOST: '127.0.0.1' }, logFile, 'log', nodeArgs)
  const url = `http://127.0.0.1:${port}`
  while (performance.now() - started < readyTimeoutMs) {
    if (!running(child))
      throw new Error(
        `reachloop start exited (${child.exitCode ?? child.signalCode}) before it was ready. Its log (${logFile}):\n${tail(logFile)}`,
      )
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return { child, pid: child.pid ?? 0, url, readySeconds: (performance.now() - started) / 1000, exited, logFile }
    await new Promise((r) => setTimeout(r, 50))
  }
  signalGroup(child.pid ?? 0, 'SIGKILL')
  throw new Error(`reachloop start was not ready within ${readyTimeoutMs / 1000} s. Its log (${logFile}):\n${tail(logFile)}`)
}

/**
 * Stops a server as an operator would (SIGTERM: it drains, closes the database and, on the
 * embedded engine, stops PostgreSQL); SIGKILLs its group if it has not exited after `graceMs`.
 * Returns whether it had to be killed.
 */
export async function stopServer(server: Pick<ServerProcess, 'child' | 'pid' | 'exited'>, graceMs = 60_000): Promise<{ killed: boolean }> {
  if (!running(server.child)) return { killed: false }
  server.child.kill('SIGTERM')
  const stopped = await Promise.race([server.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))])
  if (stopped) return { killed: false }
  signalGroup(server.pid, 'SIGKILL')
  await server.exited
  return { killed: true }
}

/** Runs a CLI command to its end; rejects with its stderr's tail on a non-zero exit. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  logFile: string,
  onSpawn?: (pid: number) => void,
): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now()
  const { child, exited } = spawnReachloop(args, env, logFile, 'pipe')
  onSpawn?.(child.pid ?? 0)
  let stdout = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  await exited
  if (child.exitCode !== 0)
    throw new Error(`reachloop ${args[0]} failed (${child.exitCode ?? child.signalCode}). Its log (${logFile}):\n${tail(logFile)}`)
  return { stdout: stdout.trim(), seconds: (performance.now() - started) / 1000 }
}

/** Ends every process group this bench started that still runs: SIGTERM, then SIGKILL after `graceMs`. */
export async function endAllProcesses(graceMs = 20_000): Promise<void> {
  const left = [...groups].filter(running)
  for (const child of left) child.kill('SIGTERM')
  const deadline = Date.now() + graceMs
  while (left.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  for (const child of left) if (running(child)) signalGroup(child.pid ?? 0, 'SIGKILL')
}
