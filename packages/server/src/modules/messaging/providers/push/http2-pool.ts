import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2'

/** An HTTP/2 answer: status, headers and the body as text. */
export interface Http2Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A request that got no answer; `code` is `timeout`, the socket's errno code, or `network_error`. */
export class Http2Unanswered extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'Http2Unanswered'
  }
}

interface Pooled {
  session: ClientHttp2Session
  streams: number
  idle?: NodeJS.Timeout
  lastError?: Error
}

/** How long an unused session stays open, and how long one request may take. */
const IDLE_MS = 60_000
const REQUEST_TIMEOUT_MS = 30_000

const pool = new Map<string, Pooled>()

/**
 * One HTTP/2 session per key (an account), opened on first use and closed after a minute unused.
 * APNs wants connections kept open across notifications rather than one per request. An `http://`
 * origin speaks cleartext HTTP/2 (h2c, prior knowledge): for local test servers and TLS-terminating proxies.
 */
function sessionFor(key: string, origin: string): Pooled {
  const held = pool.get(`${key} ${origin}`)
  if (held && !held.session.closed && !held.session.destroyed) return held
  const session = connect(origin)
  const pooled: Pooled = { session, streams: 0 }
  const forget = () => {
    clearTimeout(pooled.idle)
    if (pool.get(`${key} ${origin}`) === pooled) pool.delete(`${key} ${origin}`)
  }
  // The failure also reaches every open stream; the session keeps it for their error message.
  session.on('error', (error: Error) => {
    pooled.lastError = error
    forget()
  })
  session.on('goaway', forget)
  session.on('close', forget)
  pool.set(`${key} ${origin}`, pooled)
  return pooled
}

function release(pooled: Pooled): void {
  pooled.streams--
  if (pooled.streams > 0 || pooled.session.closed) return
  pooled.idle = setTimeout(() => pooled.session.close(), IDLE_MS)
  pooled.idle.unref()
}

function unanswered(pooled: Pooled, error: unknown): Http2Unanswered {
  const cause = pooled.lastError ?? error
  const code = (cause as { code?: unknown } | undefined)?.code
  return new Http2Unanswered(typeof code === 'string' ? code : 'network_error', cause instanceof Error ? cause.message : String(cause))
}

/** Sends one request on the key's session; rejects with `Http2Unanswered` when no answer came. */
export function http2Request(
  key: string,
  origin: string,
  headers: OutgoingHttpHeaders,
  body: string,
  signal?: AbortSignal,
): Promise<Http2Answer> {
  const pooled = sessionFor(key, origin)
  clearTimeout(pooled.idle)
  pooled.streams++
  return new Promise<Http2Answer>((resolve, reject) => {
    let answer: { status: number; headers: IncomingHttpHeaders } | undefined
    let stopped: Http2Unanswered | undefined
    let streamError: unknown
    const chunks: Buffer[] = []
    const stream = pooled.session.request(headers)
    const stop = (reason: Http2Unanswered) => {
      stopped = reason
      stream.close(constants.NGHTTP2_CANCEL)
    }
    const onAbort = () => stop(new Http2Unanswered('timeout', 'The request was aborted'))
    signal?.addEventListener('abort', onAbort, { once: true })
    stream.setTimeout(REQUEST_TIMEOUT_MS, () => stop(new Http2Unanswered('timeout', `No answer in ${REQUEST_TIMEOUT_MS} ms`)))
    stream.on('response', (h) => {
      answer = { status: Number(h[':status']), headers: h }
    })
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('error', (error) => {
      streamError = error
    })
    stream.on('close', () => {
      signal?.removeEventListener('abort', onAbort)
      release(pooled)
      if (answer && !stopped && !streamError) return resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8') })
      // A failed connection cancels the stream first and reports its cause (ECONNREFUSED…) on the
      // session just after: wait a turn so the session's error names the failure.
      setImmediate(() => reject(stopped ?? unanswered(pooled, streamError ?? new Error('The stream closed without an answer'))))
    })
    stream.end(body)
    if (signal?.aborted) onAbort()
  })
}

/** Closes every pooled session (at shutdown, and after tests). */
export async function closeHttp2Sessions(): Promise<void> {
  const sessions = [...pool.values()]
  pool.clear()
  await Promise.all(
    sessions.map(
      (pooled) =>
        new Promise<void>((resolve) => {
          clearTimeout(pooled.idle)
          if (pooled.session.closed || pooled.session.destroyed) return resolve()
          pooled.session.close(() => resolve())
        }),
    ),
  )
}
