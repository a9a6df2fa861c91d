import { routes } from '@reachloop/domain'
import { useMemo } from 'react'
import { useCall } from '../../shared/use-load.js'

/**
 * The workspace's identifier types (standard and custom), from its identity rules, strongest first
 * as the API lists them; empty until they have loaded.
 */
export function useIdentifierTypes(): string[] {
  const { data } = useCall(routes.listIdentifierTypes, {})
  return useMemo(() => data?.items.map((rule) => rule.type) ?? [], [data])
}

/** The identifier types as options of a select. */
export function useIdentifierTypeOptions(): Array<{ value: string; label: string }> {
  const types = useIdentifierTypes()
  return useMemo(() => types.map((type) => ({ value: type, label: type })), [types])
}
