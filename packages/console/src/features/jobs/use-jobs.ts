import { routes, type JobState } from '@reachloop/domain'
import { useEffect } from 'react'
import { api } from '../../shared/api.js'
import { useLoad } from '../../shared/use-load.js'

const REFRESH_MS = 5000

/** The queues' counts and the jobs (of a queue, in a state), refreshed every five seconds. */
export function useJobs(queue: string | undefined, state: JobState | undefined) {
  const { data, reload } = useLoad(async () => {
    const [queues, jobs] = await Promise.all([
      api.call(routes.listQueues, {}),
      api.call(routes.listJobs, { query: { limit: 100, ...(queue ? { queue } : {}), ...(state ? { state } : {}) } }),
    ])
    return { queues: queues.items, jobs: jobs.items }
  }, [queue, state])
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  return { queues: data?.queues ?? [], jobs: data?.jobs ?? [], reload }
}
