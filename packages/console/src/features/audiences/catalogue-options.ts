import { routes, STANDARD_EVENTS, type CatalogueProperty, type CatalogueValue } from '@reachloop/domain'
import { api, currentWorkspace } from '../../shared/api.js'

/** How long the builders reuse what the catalogue said: one editing session, not a stale page. */
const KEEP_MS = 30_000
const cache = new Map<string, { at: number; value: Promise<unknown> }>()

/** Asks once per key (and workspace) every KEEP_MS; a failed answer is not kept. */
function remembered<T>(key: string, load: () => Promise<T>): Promise<T> {
  const full = `${currentWorkspace.get() ?? ''}\u0000${key}`
  const hit = cache.get(full)
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.value as Promise<T>
  const value = load()
  cache.set(full, { at: Date.now(), value })
  value.catch(() => cache.delete(full))
  return value
}

/** Forgets what the builders were told (after the catalogue page changed something). */
export function forgetCatalogueOptions(): void {
  cache.clear()
}

/** Names the event pickers offer: the workspace's received (and planned) events, not hidden, then the standard ones it lacks. */
export async function catalogueEventNames(): Promise<Array<{ name: string; count: number }>> {
  const listed = await remembered('events', () => api.call(routes.listCatalogueEvents, { query: {} }))
  const seen = new Set(listed.items.map((e) => e.name))
  return [
    ...listed.items.map((e) => ({ name: e.name, count: e.count })),
    ...Object.keys(STANDARD_EVENTS)
      .filter((name) => !seen.has(name))
      .map((name) => ({ name, count: 0 })),
  ]
}

/** An event's properties as received (not hidden), with the standard event's own names after them. */
export async function cataloguePropertyNames(event: string): Promise<CatalogueProperty[]> {
  const listed = await remembered(`properties\u0000${event}`, () => api.call(routes.listCatalogueProperties, { query: { event } }))
  return listed.items
}

/** Profile traits as received (not hidden). */
export async function catalogueTraitNames(): Promise<CatalogueProperty[]> {
  return (await remembered('traits', () => api.call(routes.listCatalogueTraits, { query: {} }))).items
}

/** The top values of an event's property (a trait without `event`) starting with `prefix`. */
export function catalogueTopValues(target: { event?: string | undefined; name: string }, prefix: string): Promise<CatalogueValue[]> {
  const query = { name: target.name, ...(target.event ? { event: target.event } : {}), ...(prefix ? { prefix } : {}) }
  return remembered(`values\u0000${JSON.stringify(query)}`, async () => (await api.call(routes.listCatalogueValues, { query })).items)
}
