import { routes, type Permission } from '@reachloop/domain'
import { useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { useSession } from '../../shared/session.js'

/** Names of what records point to by id: segments, tags, tag groups, computed properties, sources and imports. */
export type EntityNames = ReadonlyMap<string, string>

const named = async (permission: Permission, can: (p: Permission) => boolean, load: () => Promise<Array<[string, string]>>) =>
  can(permission) ? load().catch(() => []) : []

/**
 * Loads the names of the workspace's segments, tags, computed properties, sources and imports once,
 * by id, so that audit entries and job payloads name what they are about. What the user may not
 * read, or what failed to load, is shown by its id.
 */
export function useEntityNames(): EntityNames {
  const { can } = useSession()
  const [names, setNames] = useState<EntityNames>(new Map())
  useEffect(() => {
    let live = true
    const pairs = <T extends { id: string }>(items: T[], name: (item: T) => string) => items.map((i): [string, string] => [i.id, name(i)])
    void Promise.all([
      named('audiences.read', can, async () => pairs((await api.call(routes.listSegments, {})).items, (s) => s.name)),
      named('audiences.read', can, async () => pairs((await api.call(routes.listTags, { query: {} })).items, (s) => s.name)),
      named('audiences.read', can, async () => pairs((await api.call(routes.listTagGroups, {})).items, (s) => s.name)),
      named('audiences.read', can, async () => pairs((await api.call(routes.listComputedProperties, {})).items, (s) => s.name)),
      named('profiles.read', can, async () => pairs((await api.call(routes.listSources, {})).items, (s) => s.name)),
      named('profiles.read', can, async () => pairs((await api.call(routes.listImports, {})).items, (s) => s.fileName)),
    ]).then((lists) => live && setNames(new Map(lists.flat())))
    return () => void (live = false)
    // Loaded once per page: names change rarely, and an unknown id is shown as it is.
  }, [])
  return names
}
