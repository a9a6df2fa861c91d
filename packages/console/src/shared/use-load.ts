import type { CallInput } from '@reachloop/client'
import type { ResponseOf, RouteContract } from '@reachloop/domain'
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react'
import { api } from './api.js'
import { useErrorMessage } from './use-error-message.js'

/** What a page loaded: the data (undefined until it came), whether a load is running, and how to load again. */
export interface Loaded<T> {
  data: T | undefined
  loading: boolean
  /** Loads again (after a change); resolves when done, errors shown as a message. */
  reload: () => Promise<void>
  /** Replaces the data without asking the server (an answer that already holds the new state). */
  setData: (data: T) => void
}

/**
 * Loads what a page shows when it opens and whenever `deps` change, showing a failure as a message.
 * A load overtaken by a newer one (or by leaving the page) is dropped, so an old answer never wins.
 *
 * @example
 * const { data: segment, reload } = useLoad(() => api.call(routes.getSegment, { params: { id } }), [id])
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const showError = useErrorMessage()
  const [data, setData] = useState<T>()
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  // The caller names what the load depends on, as with useEffect.
  const run = useCallback(load, deps)
  const reload = useCallback(async () => {
    const round = ++latest.current
    setLoading(true)
    try {
      const loaded = await run()
      if (round === latest.current) setData(() => loaded)
    } catch (error) {
      if (round === latest.current) showError(error)
    } finally {
      if (round === latest.current) setLoading(false)
    }
  }, [run, showError])
  useEffect(() => {
    void reload()
    return () => void latest.current++
  }, [reload])
  const replace = useCallback((next: T) => setData(() => next), [])
  return { data, loading, reload, setData: replace }
}

/**
 * `useLoad` of one route: calls it with `input` when the page opens and whenever `input` changes.
 *
 * @example
 * const { data } = useCall(routes.listSegments, {})
 * const segments = data?.items ?? []
 */
export function useCall<C extends RouteContract>(contract: C, input: CallInput<C>): Loaded<ResponseOf<C>> {
  const key = JSON.stringify(input)
  return useLoad(() => api.call(contract, JSON.parse(key) as CallInput<C>), [contract, key])
}
