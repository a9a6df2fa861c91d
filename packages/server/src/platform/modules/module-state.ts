import type { AppContext } from '../context.js'

/**
 * State a module keeps for one context (caches of hot lookups), created on first use: the platform's
 * context need not know every module's caches.
 *
 * @example
 * const SOURCES = Symbol('ingest.sources')
 * const sources = moduleState(ctx, SOURCES, () => new TtlCache(5_000, ctx.clock))
 */
export function moduleState<T>(ctx: AppContext, key: symbol, create: () => T): T {
  if (!ctx.moduleState.has(key)) ctx.moduleState.set(key, create())
  return ctx.moduleState.get(key) as T
}
