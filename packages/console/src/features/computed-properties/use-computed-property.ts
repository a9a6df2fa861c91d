import { routes, type ComputedComputation, type ComputedPropertyInUse } from '@reachloop/domain'
import { useEffect, useState } from 'react'
import { useNavigate } from 'react-router-dom'
import { api, ApiError } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useLoad } from '../../shared/use-load.js'

/** A computed property and how its values spread; while a job computes it, looked at again every second. */
export function useComputedProperty(id: string) {
  const loaded = useLoad(async () => {
    const [property, distribution] = await Promise.all([
      api.call(routes.getComputedProperty, { params: { id } }),
      api.call(routes.getComputedDistribution, { params: { id } }),
    ])
    return { property, distribution }
  }, [id])
  const { data, reload } = loaded
  // A new or changed property is computed by a job: look again until it is done.
  useEffect(() => {
    if (!data || data.property.computedAt) return
    const timer = setTimeout(() => void reload(), 1000)
    return () => clearTimeout(timer)
  }, [data, reload])
  return loaded
}

/** Compute a property now (keeping what the run did), or delete it (keeping what still uses it when refused). */
export function useComputedPropertyActions(id: string, reload: () => Promise<void>) {
  const navigate = useNavigate()
  const computing = useAction()
  const deleting = useAction()
  const [computed, setComputed] = useState<ComputedComputation | null>(null)
  const [usedBy, setUsedBy] = useState<ComputedPropertyInUse['usedBy'] | null>(null)
  const compute = () =>
    computing.run(async () => {
      setComputed(null)
      setComputed(await api.call(routes.computeComputedProperty, { params: { id } }))
      await reload()
    })
  const remove = () =>
    deleting.run(async () => {
      try {
        await api.call(routes.deleteComputedProperty, { params: { id } })
        navigate('/computed-properties')
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'COMPUTED_PROPERTY_IN_USE')) throw error
        setUsedBy((error.details as Partial<ComputedPropertyInUse> | undefined)?.usedBy ?? [])
      }
    })
  return { compute, computing: computing.busy, computed, setComputed, remove, deleting: deleting.busy, usedBy, setUsedBy }
}
