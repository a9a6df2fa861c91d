import { routes, type Computation, type ComputationKind } from '@reachloop/domain'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../../shared/api.js'

/** How often the console asks again while a computation is queued or running. */
const POLL_MS = 2000

/**
 * The unfinished computations of a kind (or of one entity): asked for when the page opens, then
 * every two seconds while one is queued, running or retrying. When one finishes, `onFinished` runs
 * (the page reloads the entity, whose `computedAt` and size then say when and how many). `refresh`
 * asks again at once and polls as long as needed (after a save, which queues a computation).
 */
export function useComputations(filter: { kind: ComputationKind; id?: string }, onFinished?: () => Promise<void> | void) {
  const [items, setItems] = useState<Computation[]>([])
  const [asked, setAsked] = useState(0)
  const active = useRef(new Set<string>())
  const finished = useRef(onFinished)
  finished.current = onFinished
  const { kind, id } = filter
  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const round = async () => {
      let again = true
      try {
        const { items: now } = await api.call(routes.listComputations, { query: id ? { kind, id } : { kind } })
        if (stopped) return
        const still = new Set(now.filter((c) => c.state !== 'failed').map((c) => c.id))
        const ended = [...active.current].some((c) => !still.has(c))
        active.current = still
        setItems(now)
        again = still.size > 0
        if (ended) await finished.current?.()
      } catch {
        // Asked again at the next round (the page shows its own errors).
      }
      if (!stopped && again) timer = setTimeout(() => void round(), POLL_MS)
    }
    void round()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [kind, id, asked])
  const of = useCallback((entity: string) => items.find((c) => c.id === entity), [items])
  const refresh = useCallback(() => setAsked((n) => n + 1), [])
  return { items, of, refresh }
}
