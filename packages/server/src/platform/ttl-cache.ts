import type { Clock } from '@reachloop/domain'

/**
 * A small in-process cache whose entries expire after `ttlMs`. For hot lookups on the ingestion
 * path (write keys, identity rules): a change made in this process clears its entry at once;
 * other processes see it within `ttlMs`.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; until: number }>()
  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now().getTime()
    const hit = this.#entries.get(key)
    if (hit && hit.until > now) return hit.value
    const value = await load()
    if (this.#entries.size >= this.maxEntries) this.#entries.clear()
    this.#entries.set(key, { value, until: now + this.ttlMs })
    return value
  }

  /** Drops the entries `match` selects (all when no filter is given). */
  clear(match?: (key: K, value: V) => boolean): void {
    if (!match) return this.#entries.clear()
    for (const [key, entry] of this.#entries) if (match(key, entry.value)) this.#entries.delete(key)
  }
}
