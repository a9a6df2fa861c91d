import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ImportFormat } from '@reachloop/domain'
import { parse } from 'csv-parse'

/** One row of a file: its fields (or why it could not be read), its number and its raw text. */
export interface FileRow {
  number: number
  fields: Record<string, unknown> | null
  raw: string
  error?: string
}

/** Counts the bytes that pass, for progress. */
class ByteCounter extends Transform {
  bytes = 0
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length
    done(null, chunk)
  }
}

/** Streams an upload to `path`, hashing and counting it; refuses (and deletes) a file over `maxBytes`. */
export async function saveUpload(body: Readable, dir: string, path: string, maxBytes: number): Promise<{ bytes: number; sha256: string }> {
  await mkdir(dir, { recursive: true })
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > maxBytes) return done(new Error(`the file is over ${maxBytes} bytes`))
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(body, meter, createWriteStream(path, { mode: 0o600 }))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return { bytes, sha256: hash.digest('hex') }
}

/**
 * Reads a CSV (header row first) or JSONL file row by row in bounded memory. `counter.bytes`
 * tells how far into the file the reader is.
 */
export function readRows(
  path: string,
  format: ImportFormat,
): { rows: AsyncGenerator<FileRow>; counter: { readonly bytes: number }; close(): void } {
  const counter = new ByteCounter()
  const stream = createReadStream(path).pipe(counter)
  async function* csv(): AsyncGenerator<FileRow> {
    const parser = stream.pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, raw: true, info: true, trim: true }),
    )
    let number = 0
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; raw: string }>) {
      number += 1
      yield { number, fields: record.record, raw: record.raw.trimEnd() }
    }
  }
  async function* jsonl(): AsyncGenerator<FileRow> {
    let number = 0
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (line.trim() === '') continue
      number += 1
      try {
        const value: unknown = JSON.parse(line)
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          yield { number, fields: null, raw: line, error: 'the line is not a JSON object' }
        else yield { number, fields: value as Record<string, unknown>, raw: line }
      } catch (error) {
        yield { number, fields: null, raw: line, error: `the line is not JSON: ${(error as Error).message}` }
      }
    }
  }
  return { rows: format === 'csv' ? csv() : jsonl(), counter, close: () => stream.destroy() }
}

/** The columns and first rows of a file, for the mapping step. JSONL columns are its top-level keys and one level of nested paths. */
export async function previewFile(
  path: string,
  format: ImportFormat,
  rows = 5,
): Promise<{ columns: string[]; preview: Array<Record<string, unknown>> }> {
  const { rows: reader, close } = readRows(path, format)
  const preview: Array<Record<string, unknown>> = []
  const columns = new Set<string>()
  let firstError: string | undefined
  for await (const row of reader) {
    // A bad row is the import's business (it lands in the error report); the preview shows good ones.
    if (row.error || !row.fields) {
      firstError ??= `row ${row.number}: ${row.error ?? 'unreadable'}`
      if (preview.length === 0 && row.number >= 20) break
      continue
    }
    preview.push(row.fields)
    for (const [key, value] of Object.entries(row.fields)) {
      if (format === 'jsonl' && value && typeof value === 'object' && !Array.isArray(value))
        for (const inner of Object.keys(value)) columns.add(`${key}.${inner}`)
      else columns.add(key)
    }
    if (preview.length >= rows) break
  }
  close()
  if (preview.length === 0 && firstError) throw new Error(firstError)
  return { columns: [...columns], preview }
}
