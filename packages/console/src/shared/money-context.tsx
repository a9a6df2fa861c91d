import { routes } from '@reachloop/domain'
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useI18n } from '../i18n/i18n.js'
import { api } from './api.js'
import { moneyFormat, type MoneyFormat, type MoneyMarks } from './money.js'
import { useSession } from './session.js'

/** What the formatter needs to know of the workspace: its currency, time zone and the catalogue's money marks. */
export interface WorkspaceMoney {
  currency: string
  timeZone: string | undefined
  marks: MoneyMarks
}

const DEFAULTS: WorkspaceMoney = { currency: 'CNY', timeZone: undefined, marks: null }
const MoneyContext = createContext<WorkspaceMoney>(DEFAULTS)

/**
 * Gives the signed-in pages the workspace's currency, time zone and money marks: loaded from the
 * workspace settings and the catalogue (reloaded when the session is), or the `marks` given. Until
 * they come, or without one of them, money is CNY and names alone say what is money.
 */
export function MoneyProvider({ children, marks }: { children: ReactNode; marks?: MoneyMarks }) {
  const { state } = useSession()
  const [loaded, setLoaded] = useState<WorkspaceMoney>(DEFAULTS)
  const me = state.status === 'signedIn' ? state.me : null
  useEffect(() => {
    if (!me?.currentWorkspaceId) return
    let live = true
    const workspace = me.permissions.includes('workspace.read') ? api.call(routes.getWorkspace, {}).catch(() => null) : null
    const catalogue = me.permissions.includes('profiles.read') ? api.call(routes.catalogueMarks, {}).catch(() => null) : null
    void Promise.all([workspace, catalogue]).then(([w, c]) => {
      if (!live) return
      setLoaded({
        currency: w?.currency ?? DEFAULTS.currency,
        timeZone: w?.timeZone,
        marks: c ? new Set(c.money) : null,
      })
    })
    return () => void (live = false)
  }, [me])
  const value = useMemo(() => (marks === undefined ? loaded : { ...loaded, marks }), [loaded, marks])
  return <MoneyContext.Provider value={value}>{children}</MoneyContext.Provider>
}

/** The workspace's money formatter in the reader's language (CNY and the name rules outside a `MoneyProvider`). */
export function useMoney(): MoneyFormat {
  const { currency, timeZone, marks } = useContext(MoneyContext)
  const { language } = useI18n()
  return useMemo(() => moneyFormat({ currency, marks, language, timeZone }), [currency, marks, language, timeZone])
}
