/**
 * Import in bounded memory: writes a CSV of historical orders of SIZE_MB (default 20; 1024 for the
 * 1 GB case), imports it with `reachloop import` on the embedded PostgreSQL, and prints rows/s, MB/s
 * and the import process's peak RSS, sampled while it runs. Memory should stay flat however big
 * the file: the file is streamed and rows are ingested in batches.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_ENTRY } from '@reachloop/server/testing'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const SIZE_MB = Number(process.env.SIZE_MB ?? 20)
const dir = mkdtempSync(join(tmpdir(), 'reachloop-import-bench-'))
const file = join(dir, 'orders.csv')

async function writeFile(): Promise<number> {
  const out = createWriteStream(file)
  out.write('order_no,member,phone,amount,store,paid_at\n')
  let rows = 0
  const target = SIZE_MB * 1024 * 1024
  let written = 0
  const start = Date.parse('2025-01-01T00:00:00Z')
  while (written < target) {
    rows += 1
    const member = rows % 200_000
    const line = `SO-${rows},m-${member},+86139${String(member).padStart(8, '0')},${3000 + (rows % 97) * 100},cq-${1 + (rows % 4)},${new Date(start + rows * 37_000).toISOString()}\n`
    written += line.length
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(() => r()))
  return rows
}

const cli = (args: string[], env: Record<string, string>, onPid?: (pid: number) => void) =>
  new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d))
    if (child.pid) onPid?.(child.pid)
    child.on('close', (code) => resolve({ code, stdout }))
  })

try {
  const rows = await writeFile()
  const bytes = statSync(file).size
  const env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'warn' }
  await cli(['create-owner', '--email', 'bench@example.com', '--password', 'bench-password', '--workspace', 'Bench'], env)
  await cli(['create-source', '--workspace', 'Bench', '--name', 'history'], env)
  let peakKb = 0
  let sampler: NodeJS.Timeout | undefined
  const started = performance.now()
  const result = await cli(
    [
      'import',
      '--workspace',
      'Bench',
      '--source',
      'history',
      '--kind',
      'events',
      '--file',
      file,
      '--map',
      'userId=member',
      'eventName=Order Completed',
      'messageId=order_no',
      'timestamp=paid_at',
      'traits.phone=phone',
      'properties.total=amount',
      'properties.store_id=store',
    ],
    env,
    (pid) => {
      sampler = setInterval(() => {
        try {
          peakKb = Math.max(peakKb, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0))
        } catch {
          // the process has exited
        }
      }, 200)
    },
  )
  clearInterval(sampler)
  const seconds = (performance.now() - started) / 1000
  const outcome = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { rows?: number; accepted?: number; rejected?: number }
  console.log(
    `\nimport benchmark (embedded PostgreSQL; RSS of the Reachloop process only): ${(bytes / 1024 / 1024).toFixed(0)} MB CSV, ${rows} rows\n`,
  )
  console.table([
    {
      rows: outcome.rows,
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      seconds: seconds.toFixed(1),
      'rows/s': Math.round(rows / seconds),
      'MB/s': (bytes / 1024 / 1024 / seconds).toFixed(2),
      'peak RSS MB': Math.round(peakKb / 1024),
    },
  ])
} finally {
  rmSync(dir, { recursive: true, force: true })
}
