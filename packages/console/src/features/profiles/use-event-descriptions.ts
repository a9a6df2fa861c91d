import { routes } from '@reachloop/domain'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'

/**
 * What the catalogue says of the workspace's events, by name, for events the timeline has no words
 * of its own for. Without the catalogue (or the right to read it) events are told without it.
 */
export function useEventDescriptions(): (name: string) => string | undefined {
  const [descriptions, setDescriptions] = useState<ReadonlyMap<string, string>>(new Map())
  useEffect(() => {
    let live = true
    api
      .call(routes.listCatalogueEvents, { query: {} })
      .then(({ items }) => live && setDescriptions(new Map(items.filter((e) => e.description.trim()).map((e) => [e.name, e.description]))))
      .catch(() => undefined)
    return () => void (live = false)
  }, [])
  return useCallback((name: string) => descriptions.get(name), [descriptions])
}
