import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { CLI_ENTRY, freePort } from '@reachloop/server/testing'

export { freePort }

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Runs `reachloop <args>` from the TypeScript sources and collects its output. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** How a process is spawned beyond its environment: in a process group of its own (to kill the group), as another user. */
export interface SpawnOptions {
  detached?: boolean
  uid?: number
  gid?: number
  readyTimeoutMs?: number
}

/** Starts `reachloop <command>` and waits until `/readyz` answers 200 (api) or the start line is logged (worker). */
export async function startProcess(
  command: 'start' | 'api' | 'worker',
  env: Record<string, string | undefined>,
  options: SpawnOptions = {},
): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }> {
  const port = Number(env.PORT ?? (await freePort()))
  const { readyTimeoutMs = 60_000, ...spawnOptions } = options
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_ENTRY, command], {
    ...spawnOptions,
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`reachloop ${command} exited with ${child.exitCode}: ${output}`)
    if (
      command === 'worker'
        ? output.includes('reachloop started')
        : await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
    )
      break
    if (Date.now() > deadline) {
      // A process that did not come up is stopped, so a failed start leaves nothing running behind the test.
      // SIGTERM first, so it stops its embedded PostgreSQL too; SIGKILL if it does not go.
      child.kill('SIGTERM')
      const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))])
      if (!gone) child.kill('SIGKILL')
      throw new Error(`reachloop ${command} did not start within ${readyTimeoutMs} ms: ${output}`)
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  return { child, url, output: () => output, exited }
}
