import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react'
import { useErrorMessage } from './use-error-message.js'

/** One page of a list read with a cursor, as the list routes answer. */
export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
}

/** What a cursor list loaded: the items so far, whether more are there, and how to get them. */
export interface CursorList<T> {
  items: T[]
  /** Whether a page after the last one loaded exists. */
  hasMore: boolean
  loading: boolean
  /** Loads the next page and appends it. */
  loadMore: () => Promise<void>
  /** Loads the first page again, replacing the items. */
  reload: () => Promise<void>
}

/**
 * Loads the first page of a list when the page opens and whenever `deps` change, and further pages on
 * request, showing a failure as a message. A load overtaken by a newer one is dropped.
 *
 * @example
 * const audit = useCursorList((cursor) => api.call(routes.listAudit, { query: { limit: 50, ...(cursor ? { cursor } : {}) } }), [])
 * <Table dataSource={audit.items} loading={audit.loading} />
 */
export function useCursorList<T>(loadPage: (cursor: string | null) => Promise<CursorPage<T>>, deps: DependencyList): CursorList<T> {
  const showError = useErrorMessage()
  const [items, setItems] = useState<T[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  // The caller names what the load depends on, as with useEffect.
  const fetchPage = useCallback(loadPage, deps)
  const load = useCallback(
    async (after: string | null) => {
      const round = ++latest.current
      setLoading(true)
      try {
        const page = await fetchPage(after)
        if (round !== latest.current) return
        setItems((previous) => (after ? [...previous, ...page.items] : page.items))
        setNext(page.nextCursor)
      } catch (error) {
        if (round === latest.current) showError(error)
      } finally {
        if (round === latest.current) setLoading(false)
      }
    },
    [fetchPage, showError],
  )
  useEffect(() => {
    void load(null)
    return () => void latest.current++
  }, [load])
  const reload = useCallback(() => load(null), [load])
  return { items, hasMore: next !== null, loading, loadMore: () => load(next), reload }
}
