import type { ErrorCode } from './error-codes.js'

/** An expected failure: a code from the catalogue, a message and optional details. */
export interface Failure {
  ok: false
  code: ErrorCode
  message?: string
  details?: unknown
}

/** Expected domain failures are values, not exceptions. */
export type Result<T> = { ok: true; value: T } | Failure

/** Wraps a value as a success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** Builds a failure with a catalogue code. */
export function fail(code: ErrorCode, message?: string, details?: unknown): Failure {
  return { ok: false, code, ...(message === undefined ? {} : { message }), ...(details === undefined ? {} : { details }) }
}

/** Makes a `switch` exhaustive: the compiler rejects a call with a value that is not `never`. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`)
}
