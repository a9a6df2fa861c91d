import { request } from 'node:http'

/** An answer, or `timedOut` when the client gave up after its timeout. */
export type HttpAnswer =
  | { timedOut: false; status: number; headers: Record<string, string | string[] | undefined>; text: string; seconds: number }
  | { timedOut: true; seconds: number }

/**
 * One HTTP request that waits exactly as long as asked. `fetch` cannot: its headers timeout (300 s)
 * fails a request that the server takes longer to answer (a synchronous computation at scale).
 * Rejects when the connection fails.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(Math.ceil(options.timeoutMs))
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) }) },
        signal,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            timedOut: false,
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            seconds: seconds(),
          }),
        )
        res.on('error', (error) => (signal.aborted ? resolve({ timedOut: true, seconds: seconds() }) : reject(error)))
      },
    )
    req.on('error', (error) => (signal.aborted ? resolve({ timedOut: true, seconds: seconds() }) : reject(error)))
    req.end(options.body)
  })
}
