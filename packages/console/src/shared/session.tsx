import { routes, type Me, type Permission } from '@reachloop/domain'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, ApiError, currentWorkspace } from './api.js'

/** Where the console stands: loading, first-run setup, signed out, or signed in as `me`. */
export type SessionState = { status: 'loading' } | { status: 'setup' } | { status: 'signedOut' } | { status: 'signedIn'; me: Me }

interface Session {
  state: SessionState
  /** Reloads who is signed in (after sign-in, setup or a workspace switch). */
  refresh(): Promise<void>
  signedIn(me: Me): void
  signOut(): Promise<void>
  switchWorkspace(id: string): Promise<void>
  can(permission: Permission): boolean
}

const SessionContext = createContext<Session | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })

  const signedIn = useCallback((me: Me) => {
    currentWorkspace.set(me.currentWorkspaceId)
    setState({ status: 'signedIn', me })
  }, [])

  const refresh = useCallback(async () => {
    try {
      signedIn(await api.call(routes.getMe, {}))
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error
      const setup = await api.call(routes.getSetup, {})
      setState({ status: setup.needed ? 'setup' : 'signedOut' })
    }
  }, [signedIn])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const value = useMemo<Session>(
    () => ({
      state,
      refresh,
      signedIn,
      signOut: async () => {
        await api.call(routes.logout, {})
        setState({ status: 'signedOut' })
      },
      switchWorkspace: async (id: string) => {
        currentWorkspace.set(id)
        await refresh()
      },
      can: (permission) => state.status === 'signedIn' && state.me.permissions.includes(permission),
    }),
    [state, refresh, signedIn],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const context = useContext(SessionContext)
  if (!context) throw new Error('useSession outside SessionProvider')
  return context
}

/** The signed-in user; only for pages inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession()
  if (state.status !== 'signedIn') throw new Error('useMe outside the signed-in shell')
  return state.me
}
