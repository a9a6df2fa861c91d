import { routes } from '@reachloop/domain'
import { api } from '../../shared/api.js'
import { useLoad } from '../../shared/use-load.js'

/** The segments and tags a profile is in now, and its latest entries and exits (only for who may read audiences). */
export function useProfileAudiences(id: string, allowed: boolean) {
  const { data } = useLoad(async () => {
    if (!allowed) return undefined
    const [current, changes] = await Promise.all([
      api.call(routes.getProfileAudiences, { params: { id } }),
      api.call(routes.getProfileAudienceHistory, { params: { id } }),
    ])
    return { audiences: current, history: changes.items }
  }, [id, allowed])
  return { audiences: data?.audiences, history: data?.history ?? [] }
}
