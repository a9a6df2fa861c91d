import { routes } from '@reachloop/domain'
import { useEffect } from 'react'
import { api } from '../../shared/api.js'
import { useLoad } from '../../shared/use-load.js'

const POLL_MS = 2000

/** A source's latest events and rejections, looked at again every two seconds (a failed look is skipped quietly). */
export function useSourceDebugger(id: string) {
  const { data, setData } = useLoad(() => api.call(routes.getSourceDebugger, { params: { id } }), [id])
  useEffect(() => {
    const timer = setInterval(() => void api.call(routes.getSourceDebugger, { params: { id } }).then(setData, () => undefined), POLL_MS)
    return () => clearInterval(timer)
  }, [id, setData])
  return { events: data?.events ?? [], rejections: data?.rejections ?? [] }
}
