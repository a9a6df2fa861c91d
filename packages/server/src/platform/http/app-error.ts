import { ERROR_CODES, type ErrorCode, type Failure } from '@reachloop/domain'

/** An error with a catalogue code, thrown where a route cannot go on (auth, not found). */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERROR_CODES[code].message)
    this.name = 'AppError'
    this.status = ERROR_CODES[code].status
  }

  static from(failure: Failure): AppError {
    return new AppError(failure.code, failure.message, failure.details)
  }
}
