import { PassThrough, type Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../platform/http/app-error.js'

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
}

/**
 * Decompresses a body sent with `Content-Encoding` before it is read. A body that is not what its
 * encoding says (not gzip, truncated) is a 400 with a code, never a 500; the body limit then
 * applies to the decompressed JSON, so a small bomb cannot expand past it.
 */
export function decodeBody(payload: Readable, encoding: string | undefined): Readable | AppError {
  const name = encoding?.trim().toLowerCase()
  if (!name || name === 'identity') return payload
  const decoder = DECODERS[name]
  if (!decoder) return new AppError('INVALID_BODY_ENCODING', `Content-Encoding ${name.slice(0, 40)} is not one of gzip, deflate, br.`)
  const decoding = decoder()
  // The reader sees one stream whose only error is ours, whatever zlib or the socket says. It
  // counts the bytes as sent (Fastify's `receivedEncodedLength`), so Content-Length stays true:
  // without it a body with no Content-Type would be taken for an empty one.
  const out = Object.assign(new PassThrough(), { receivedEncodedLength: 0 })
  payload.on('data', (chunk: Buffer) => (out.receivedEncodedLength += chunk.length))
  decoding.on('error', (error: Error) =>
    out.destroy(new AppError('INVALID_BODY_ENCODING', `The body is not valid ${name}: ${error.message}.`)),
  )
  payload.on('error', (error: Error) => out.destroy(error))
  payload.pipe(decoding).pipe(out)
  return out
}

/** Why a body is not JSON, with the position JSON.parse gives. */
const notJson = (error: unknown) =>
  new AppError(
    'INVALID_JSON',
    `The request body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}.`,
  )

/**
 * Real SDKs send JSON under many content types: the browser SDK as `text/plain` (no CORS
 * preflight for the body), RudderStack's Node SDK as `application/x-www-form-urlencoded`, some
 * with none at all. The tracking API reads every body as JSON. `JSON.parse` keeps a `__proto__`
 * key as a plain property, so such a key costs only its event (refused with its path), not the
 * request, as a JSON parser that throws on it would.
 */
export function readAnyBodyAsJson(scope: FastifyInstance, bodyLimit: number): void {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(new AppError('INVALID_JSON', 'The request body is empty; send the call as JSON.'), undefined)
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      done(notJson(error), undefined)
    }
  })
}
