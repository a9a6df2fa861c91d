import { httpRequest } from './http-request.js'
import { percentile } from './ingest-load.js'

/** /healthz latency while something else runs, ms; `failed` counts probes that errored or waited past the timeout. */
export interface HealthFigures {
  p50: number
  p99: number
  max: number
  probes: number
  failed: number
}

/**
 * Asks `/healthz` every `everyMs` (the next probe leaves as soon as the previous one answers, when
 * that took longer) until stopped. `/healthz` touches no database: its latency is the event loop's.
 */
export function probeHealth(url: string, everyMs = 50, timeoutMs = 900_000): { stop(): Promise<HealthFigures> } {
  const latencies: number[] = []
  let failed = 0
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now()
      const ok = await httpRequest(`${url}/healthz`, { timeoutMs }).then(
        (r) => !r.timedOut && r.status === 200,
        () => false,
      )
      const ms = performance.now() - started
      latencies.push(ms)
      if (!ok) failed += 1
      if (ms < everyMs) await new Promise((r) => setTimeout(r, everyMs - ms))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await loop
      latencies.sort((a, b) => a - b)
      return {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
        probes: latencies.length,
        failed,
      }
    },
  }
}
