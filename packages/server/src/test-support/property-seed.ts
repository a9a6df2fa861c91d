/** The seed and size of one run of a property or fuzz test. */
export interface PropertySeed {
  /**
   * The run's seed: pass it as it is to every `fc.assert` of the file, so the seed in fast-check's
   * failure report is the one that replays the run.
   */
  seed: number
  /** How many inputs to try: `PROPERTY_RUNS` when set, otherwise the test's default. */
  numRuns: number
}

/**
 * The seed of a property or fuzz test: a fresh one each run, so every run explores new inputs, or
 * the one in `PROPERTY_SEED` to replay a run. It is printed either way, so a failure in CI can be
 * replayed; fast-check's own failure report names the seed it was given too.
 *
 * @example
 * const { seed, numRuns } = propertySeed('tracking fuzz', 100)
 * // prints "tracking fuzz: seed 123456 (replay with PROPERTY_SEED=123456)"
 * await fc.assert(fc.asyncProperty(arbitrary, check), { seed, numRuns })
 */
export function propertySeed(name: string, defaultRuns = 100): PropertySeed {
  const seed = readInteger('PROPERTY_SEED') ?? Math.floor(Math.random() * 2 ** 31)
  const numRuns = readInteger('PROPERTY_RUNS') ?? defaultRuns
  console.log(`${name}: seed ${seed} (${replayHint(seed)})`)
  return { seed, numRuns }
}

/** The words that replay a run, for failure messages the test builds itself. */
export function replayHint(seed: number): string {
  return `replay with PROPERTY_SEED=${seed}`
}

function readInteger(name: string): number | undefined {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  // A typo must not silently become a random run: the person meant to replay something.
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${text}"`)
  return value
}
