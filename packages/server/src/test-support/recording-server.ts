import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the recording server received, with its raw body. */
export interface RecordedRequest {
  method: string
  /** Path with query string, as sent. */
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** What the server answers: a status, headers and a body (objects are sent as JSON). */
export interface CannedReply {
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number
}

/**
 * A local HTTP server standing in for a provider's endpoint: it records every request and answers
 * with what `reply` returns, so a test asserts the exact request an adapter built.
 *
 * @example
 * const server = await startRecordingServer(() => ({ body: { Code: 'OK' } }))
 * // … adapter configured with baseUrl: server.url
 * expect(server.requests[0]?.method).toBe('POST')
 * await server.close()
 */
export async function startRecordingServer(reply: (request: RecordedRequest, index: number) => CannedReply | Promise<CannedReply>) {
  const requests: RecordedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(recorded)
      void (async () => {
        const answer = await reply(recorded, requests.length - 1)
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs))
        const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
        const contentType = typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'
        res.writeHead(answer.status ?? 200, { 'content-type': contentType, ...answer.headers })
        res.end(body)
      })().catch((error: unknown) => {
        res.writeHead(500)
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
export type RecordingServer = Awaited<ReturnType<typeof startRecordingServer>>
