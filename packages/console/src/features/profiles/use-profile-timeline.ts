import { routes } from '@reachloop/domain'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useCursorList } from '../../shared/use-cursor-list.js'

/** A profile's events, newest first, of one type or all, fifty at a time. */
export function useProfileTimeline(id: string) {
  const [type, setType] = useState<string | undefined>()
  const events = useCursorList(
    (cursor) =>
      api.call(routes.getTimeline, { params: { id }, query: { limit: 50, ...(type ? { type } : {}), ...(cursor ? { cursor } : {}) } }),
    [id, type],
  )
  return { type, setType, events }
}
