import type { EngineFigures } from './engine-figures.js'
import type { HealthFigures } from './health-probe.js'
import type { Memory } from './process-memory.js'
import { renderTable, type ReportRow } from './report-table.js'
import type { PreviewFigure } from './segment-previews.js'

export interface RunSettings {
  seconds: number
  clients: number
  batch: number
  customers: number
  trials: number
  previewTimeout: number
  minutes: number
}

const NAMES: Record<EngineFigures['engine'], string> = { embedded: 'embedded PostgreSQL', postgres: 'external PostgreSQL' }
const n = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined
    ? '–'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const s = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? '–' : seconds < 10 ? n(seconds, 2) : n(seconds, 1)
const mb = (m: Memory | undefined) => (m ? `${n(m.rssMb)} (PSS ${n(m.pssMb)}, ${m.processes} proc)` : '–')
const health = (h: HealthFigures | undefined) =>
  h ? `${n(h.p99)} / ${n(h.max)} (${h.probes} probes${h.failed > 0 ? `, ${h.failed} failed` : ''})` : '–'

function previewCell(p: PreviewFigure | undefined, timeout: number): string {
  if (!p) return '–'
  if (p.seconds === null) return `> ${timeout} s (timed out)`
  if (p.error) return `error ${p.error.slice(0, 40)}`
  return `${s(p.seconds)} s (${n(p.count)})`
}

/** The report: the table (a column per engine), with the run's settings above it. */
export function report(results: readonly EngineFigures[], run: RunSettings): string {
  const rows: ReportRow[] = []
  const row = (metric: string, cell: (f: EngineFigures) => string) => rows.push({ metric, cells: results.map(cell) })
  const section = (title: string) => rows.push({ metric: title, cells: [] })

  section(`1. Ingest (${run.clients} clients × ${run.batch} events, ${run.seconds} s)`)
  row('events/s', (f) => n(f.ingest?.eventsPerSecond))
  row('p99 request latency, ms (p50)', (f) => (f.ingest ? `${n(f.ingest.p99)} (${n(f.ingest.p50)})` : '–'))
  row('failed requests', (f) => n(f.ingest?.failed))

  section(`2. demo --customers ${run.customers}`)
  row('seconds (server stopped)', (f) => s(f.demo?.seconds))
  row('events', (f) => /(\d+) events in/.exec(f.demo?.summary ?? '')?.[1] ?? '–')

  section('3. Preview, s (profiles matched)')
  const kinds = [...new Set(results.flatMap((f) => (f.previews ?? []).map((p) => `${p.kind}|${p.name}`)))]
  for (const key of kinds) {
    const [kind, name] = key.split('|')
    row(`${kind}: ${name}`, (f) =>
      previewCell(
        f.previews?.find((p) => p.kind === kind),
        run.previewTimeout,
      ),
    )
  }
  row('after a timeout', (f) => {
    const restarted = f.recoveries.filter((r) => r.includes('restarted')).length
    const cancelled = f.recoveries.reduce((sum, r) => sum + Number(/(\d+) abandoned quer/.exec(r)?.[1] ?? 0), 0)
    return (
      [restarted ? `server restarted ×${restarted}` : '', cancelled ? `query cancelled ×${cancelled}` : ''].filter(Boolean).join(', ') ||
      '–'
    )
  })

  section('4. /healthz p99 / max, ms')
  row('RFM computation (job), s', (f) => (f.rfm && f.rfm.seconds === null ? 'not done in time' : s(f.rfm?.seconds)))
  row('/healthz during RFM', (f) => health(f.rfm?.health))
  row('RFM again beside previews, s', (f) => (f.underLoad ? s(f.underLoad.computeSeconds) : '–'))
  row('previews beside it, s (slowest)', (f) => {
    const p = f.underLoad?.previews
    if (!p) return '–'
    const timed = p.filter((x) => x.seconds !== null).map((x) => x.seconds ?? 0)
    return `${s(timed.reduce((a, b) => a + b, 0))} (${s(Math.max(0, ...timed))})${p.length > timed.length ? `, ${p.length - timed.length} timed out` : ''}`
  })
  row('/healthz during RFM + previews', (f) => health(f.underLoad?.health))

  section('5. Start, s (to /readyz)')
  row('first (empty data dir)', (f) => s(f.firstStartSeconds))
  row('warm (same data dir)', (f) => s(f.warmStartSeconds))
  row('on the demo data', (f) => s(f.startOnDemoSeconds))

  section('6. Memory, MB (RSS sum)')
  row('idle after first start', (f) => mb(f.idleMemory))
  row('idle after warm start', (f) => mb(f.idleMemoryWarm))
  row('peak during ingest', (f) => mb(f.ingest?.peakMemory))
  row('peak during demo', (f) => mb(f.demo?.peakMemory))

  section('7. Install size')
  row('MB (du)', (f) => (f.install?.mb == null ? 'not installed' : `${n(f.install.mb)} (${f.install.packages.join(', ')})`))

  section('8. SIGKILL during ingest')
  for (let t = 0; t < run.trials; t++) {
    row(`trial ${t + 1}: lost / acked; restart`, (f) => {
      const c = f.crash?.[t]
      if (!c) return '–'
      const lost = c.lost === null ? '?' : `${c.lost}${c.lostEarlier ? ` (+${c.lostEarlier} earlier)` : ''}`
      return `${lost} / ${n(c.acknowledged)}; ${c.restartSeconds === null ? `did not come up: ${c.restartError ?? '?'}` : `up in ${s(c.restartSeconds)} s, no cleanup`}`
    })
  }
  row('restart needed cleanup', (f) => (f.crash ? (f.crash.some((c) => c.restartSeconds === null) ? 'YES' : 'no') : '–'))
  if (results.some((f) => f.errors.length > 0)) row('errors', (f) => (f.errors.length > 0 ? `${f.errors.length} (see JSON)` : 'none'))

  const header = `Embedded database bench (issue 10), ${new Date().toISOString().slice(0, 16)}Z, ${run.minutes.toFixed(1)} min`
  const legend = [
    `1: the bench:ingest batches (page, view, identify — 1 in 5 merges —, order, coupon) posted to /v1/batch as fast as taken, after a 2 s warm-up.`,
    `2: reachloop demo (wall clock of the command, process start included) on an empty data directory, the server stopped.`,
    `3: POST /api/v1/segments/preview on the demo data, one segment per condition kind, one at a time, client timeout ${run.previewTimeout} s.`,
    `4: /healthz asked every 50 ms while an RFM computed property (365 days, monetary = total) is computed by the worker, then computed again through the API beside the previews that did not time out.`,
    `5: spawn of \`reachloop start\` to the first 200 of /readyz.`,
    `6: RSS (PSS in brackets) summed over the Reachloop process and every postgres process of its data directory (the postmaster in postmaster.pid and its children), sampled every 200 ms for peaks.`,
    `7: du of the engine's packages in node_modules.`,
    `8: 4 clients post batches; after 1.5–4 s the server's process group is SIGKILLed (on embedded, the postmaster's group and all its children too), then the server starts again on the untouched data directory; lost = events of batches answered 2xx that are not in the events table.`,
  ]
  const notes = results.flatMap((f) =>
    [...f.notes, ...f.recoveries, ...f.errors.map((e) => `error: ${e}`)].map((note) => `- ${NAMES[f.engine]}: ${note}`),
  )
  return `\n${header}\n\n${renderTable(
    results.map((f) => NAMES[f.engine]),
    rows,
  )}\n\n${legend.join('\n')}\n\n${notes.join('\n')}\n`
}
