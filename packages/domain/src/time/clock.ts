/** The source of "now" for all time logic. Inject it; never call `Date.now()` in business code. */
export interface Clock {
  now(): Date
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() }

/**
 * A clock that moves only when told to: for tests and simulations.
 *
 * @example
 * const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
 * clock.advance(5 * 60_000)
 */
export class ManualClock implements Clock {
  #now: number
  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.#now = start.getTime()
  }
  now(): Date {
    return new Date(this.#now)
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#now += ms
  }
  /** Sets the clock to `at`. */
  set(at: Date): void {
    this.#now = at.getTime()
  }
}
