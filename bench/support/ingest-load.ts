import type { IngestBatch } from './ingest-batch.js'

/** What a load phase measured: accepted events/s and request latency in ms. */
export interface LoadFigures {
  eventsPerSecond: number
  p50: number
  p99: number
  requests: number
  failed: number
}

/** The p-th percentile of sorted numbers (0 when there are none). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

/**
 * `clients` concurrent clients post batches to `/v1/batch` for `seconds`, as fast as the server
 * takes them or at `ratePerSecond` events/s in total.
 */
export async function postBatches(
  url: string,
  writeKey: string,
  options: { seconds: number; clients: number; batchSize: number; makeBatch: () => IngestBatch; ratePerSecond?: number | undefined },
): Promise<LoadFigures> {
  const { seconds, clients, batchSize, makeBatch, ratePerSecond } = options
  // Bodies are made before the clock starts, so the load generator does not take the server's CPU.
  const pool = Array.from({ length: Math.ceil((seconds * (ratePerSecond ?? 16_000)) / batchSize) }, () => makeBatch().body)
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  const latencies: number[] = []
  let accepted = 0
  let failed = 0
  let sent = 0
  const deadline = performance.now() + seconds * 1000
  const interval = ratePerSecond ? (clients * batchSize * 1000) / ratePerSecond : 0
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let next = performance.now() + (interval * c) / clients
      while (performance.now() < deadline) {
        if (interval) {
          const wait = next - performance.now()
          if (wait > 0) await new Promise((r) => setTimeout(r, wait))
          next += interval
        }
        // In the order they were made, so a returning member's sign-up has arrived before.
        const body = pool[sent++] ?? makeBatch().body
        const started = performance.now()
        const res = await fetch(`${url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body,
        })
        const json = (await res.json()) as { accepted?: number }
        latencies.push(performance.now() - started)
        if (res.ok) accepted += json.accepted ?? 0
        else failed += 1
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return {
    eventsPerSecond: accepted / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failed,
  }
}
