/**
 * Idle resident memory of `reachloop start` on the embedded server, as a user meets it: after the
 * first start on an empty DATA_DIR, after a restart, and after `reachloop demo --customers N` (run
 * beside the server) for each N of CUSTOMERS (default 5000; `CUSTOMERS=5000,50000`). Prints the
 * Reachloop process (RSS, PSS, and its anonymous part: the JavaScript heap and buffers) apart from
 * the PostgreSQL processes of the data directory (the postmaster and its children), each taken
 * IDLE_SECONDS (default 15) after the server answered /readyz or the demo finished. Runs the built
 * server (`packages/server/bin/reachloop.js`, what `npm start` runs); `RUN=source` runs the sources
 * through tsx instead. Target (issue 13): the Reachloop process under 500 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_ENTRY, freePort } from '@reachloop/server/testing'
import { postmasterPid } from './support/engine-env.js'
import { memoryOf, processTree, sampleMemory, type Memory } from './support/process-memory.js'
import { renderTable, type ReportRow } from './support/report-table.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const CUSTOMERS = (process.env.CUSTOMERS ?? '5000').split(',').map(Number)
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 15)
const ENTRY =
  process.env.RUN === 'source' ? ['--conditions=source', '--import', 'tsx', CLI_ENTRY] : [join(ROOT, 'packages/server/bin/reachloop.js')]

const COLUMNS = ['reachloop RSS MB', 'reachloop PSS MB', 'reachloop anon MB', 'postgres RSS MB', 'postgres PSS MB', 'peak, all PSS MB']

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function reachloop(args: string[], env: Record<string, string>, log: string): { child: ChildProcess; exited: Promise<number | null> } {
  const out = openSync(log, 'a')
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', out, out],
  })
  closeSync(out)
  return { child, exited: new Promise((resolve) => child.once('close', (code) => resolve(code))) }
}

/** The Reachloop process's RSS, PSS and anonymous resident memory, MB. */
function nodeMemory(pid: number): Memory & { anonMb: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024
  return { ...memoryOf([pid]), anonMb: kb('Anonymous') }
}

const postgresMemory = (dataDir: string): Memory => {
  const postmaster = postmasterPid(dataDir)
  return postmaster ? memoryOf(processTree([postmaster])) : { rssMb: 0, pssMb: 0, processes: 0 }
}

const mb = (n: number) => n.toFixed(0)

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'reachloop-bench-memory-'))
  chmodSync(root, 0o755)
  const dataDir = join(root, 'data')
  const log = join(root, 'server.log')
  const rows: ReportRow[] = []
  let server: { child: ChildProcess; exited: Promise<number | null>; url: string } | undefined

  const start = async () => {
    const port = await freePort()
    const started = reachloop(['start'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }, log)
    const url = `http://127.0.0.1:${port}`
    for (let i = 0; i < 3000; i++) {
      if (started.child.exitCode !== null) throw new Error(`reachloop start exited; see ${log}`)
      if (
        await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return { ...started, url }
      await sleep(100)
    }
    throw new Error(`reachloop start was not ready; see ${log}`)
  }
  const stop = async () => {
    if (!server) return
    server.child.kill('SIGTERM')
    await server.exited
    server = undefined
  }
  const measure = async (moment: string, peak?: Memory) => {
    await sleep(IDLE_SECONDS * 1000)
    const pid = server?.child.pid ?? 0
    const node = nodeMemory(pid)
    const pg = postgresMemory(dataDir)
    rows.push({
      metric: moment,
      cells: [
        mb(node.rssMb),
        mb(node.pssMb),
        mb(node.anonMb),
        mb(pg.rssMb),
        `${mb(pg.pssMb)} (${pg.processes} proc)`,
        peak ? mb(peak.pssMb) : '–',
      ],
    })
    console.error(`  ${moment}: reachloop RSS ${mb(node.rssMb)} MB (PSS ${mb(node.pssMb)}), postgres PSS ${mb(pg.pssMb)} MB`)
  }

  try {
    let sampler = sampleMemory(() => [server?.child.pid ?? 0, postmasterPid(dataDir) ?? 0])
    server = await start()
    await measure('idle after the first start (empty DATA_DIR)', sampler.stop())
    await stop()
    sampler = sampleMemory(() => [server?.child.pid ?? 0, postmasterPid(dataDir) ?? 0])
    server = await start()
    await measure('idle after a restart', sampler.stop())
    for (const customers of CUSTOMERS) {
      sampler = sampleMemory(() => [server?.child.pid ?? 0, postmasterPid(dataDir) ?? 0])
      const demo = reachloop(['demo', '--customers', String(customers)], { DATA_DIR: dataDir }, join(root, 'demo.log'))
      if ((await demo.exited) !== 0) throw new Error(`reachloop demo failed; see ${join(root, 'demo.log')}`)
      await measure(`idle after demo --customers ${customers} (beside the server)`, sampler.stop())
    }
    await stop()
    sampler = sampleMemory(() => [server?.child.pid ?? 0, postmasterPid(dataDir) ?? 0])
    server = await start()
    await measure('idle after a restart on the demo data', sampler.stop())
  } finally {
    await stop()
    rmSync(root, { recursive: true, force: true })
  }
  console.log(renderTable(COLUMNS, rows))
  console.log(
    `\nIdle ${IDLE_SECONDS} s after each moment; the peak column is the sum over the Reachloop process and the postgres processes since the moment before (PSS counts shared buffers once). Target: the Reachloop process under 500 MB.`,
  )
}

await main()
