import { parse } from 'csv-parse/browser/esm/sync'

/** A CSV file of identifiers read in the browser, and how the operator reads it. */
export interface IdentifierCsv {
  name: string
  rows: string[][]
  /** The first row names the columns and is not sent. */
  hasHeader: boolean
  /** The column holding the identifiers; `null` until the operator picks one (see {@link defaultColumn}). */
  column: number | null
}

/** Header words of identifier columns, besides the identifier types themselves. */
const HEADER_WORDS = new Set([
  'id',
  'phone',
  'mobile',
  'tel',
  'email',
  'mail',
  'userid',
  'user id',
  'name',
  'openid',
  'unionid',
  '手机',
  '手机号',
  '手机号码',
  '电话',
  '邮箱',
  '姓名',
  '会员号',
  '用户id',
])

/**
 * The text of a file's bytes: UTF-8 (a BOM is dropped), else GB18030, the encoding Excel in Chinese
 * saves CSV in.
 */
export function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

/**
 * Rows of cells of CSV text: quoted cells may hold commas, quotes (`""`) and line breaks; rows may
 * differ in length; blank lines are skipped. Throws a `CsvError` naming the line when quotes do not close.
 */
export function parseCsv(text: string): string[][] {
  // Every line ending, not only the first line's: files pasted together from several sources mix them.
  return parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] })
}

const clean = (cell: string) => cell.trim().toLowerCase()

/**
 * Whether a file's first row names its columns: a cell is a known column name, or there are several
 * cells and none holds a digit or `@` (phones, emails and ids almost always do). A guess the operator
 * can correct.
 */
export function looksLikeHeader(row: readonly string[] | undefined, identifierType: string): boolean {
  const cells = (row ?? []).map(clean).filter(Boolean)
  if (cells.some((c) => c === identifierType.toLowerCase() || HEADER_WORDS.has(c))) return true
  return cells.length > 1 && cells.every((c) => !/[\d@]/.test(c))
}

/** The column named like the identifier type (`phone`), else the first. */
export function defaultColumn(header: readonly string[] | undefined, identifierType: string): number {
  return Math.max(0, header?.findIndex((c) => clean(c) === identifierType.toLowerCase()) ?? -1)
}

/** The column a file is read from: the operator's pick, else the default for the identifier type. */
export const chosenColumn = (csv: IdentifierCsv, identifierType: string): number =>
  csv.column ?? defaultColumn(csv.hasHeader ? csv.rows[0] : undefined, identifierType)

/** Values trimmed, blanks dropped, each once (the server would count a repeated unknown one twice across requests). */
export function distinctValues(values: Iterable<string | undefined>): { values: string[]; duplicates: number } {
  const seen = new Set<string>()
  let duplicates = 0
  for (const raw of values) {
    const value = raw?.trim()
    if (!value) continue
    if (seen.has(value)) duplicates++
    else seen.add(value)
  }
  return { values: [...seen], duplicates }
}

/** The identifiers of a file: its chosen column, below the header row. */
export function csvValues(csv: IdentifierCsv, identifierType: string): { values: string[]; duplicates: number } {
  const column = chosenColumn(csv, identifierType)
  return distinctValues((csv.hasHeader ? csv.rows.slice(1) : csv.rows).map((row) => row[column]))
}

/** Identifiers pasted one per line (or separated by commas). */
export const pastedValues = (text: string) => distinctValues(text.split(/[\n,]/))

/**
 * Splits values into requests of at most `maxItems` values and `maxBytes` of JSON (the server also
 * limits a request's body), keeping their order.
 */
export function chunkValues(values: readonly string[], maxItems: number, maxBytes: number): string[][] {
  const encoder = new TextEncoder()
  const chunks: string[][] = []
  let chunk: string[] = []
  let bytes = 0
  for (const value of values) {
    const size = encoder.encode(JSON.stringify(value)).length + 1
    if (chunk.length > 0 && (chunk.length >= maxItems || bytes + size > maxBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(value)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}
