import { ApiClient, ApiError } from '@reachloop/client'

const WORKSPACE_KEY = 'reachloop.workspace'

/** The workspace the console acts in, remembered across reloads. */
export const currentWorkspace = {
  get: (): string | null => localStorage.getItem(WORKSPACE_KEY),
  set: (id: string | null) => (id ? localStorage.setItem(WORKSPACE_KEY, id) : localStorage.removeItem(WORKSPACE_KEY)),
}

/** The console's one API client: the session cookie travels by itself, the workspace as a header. */
export const api = new ApiClient({
  headers: (): Record<string, string> => {
    const workspace = currentWorkspace.get()
    return workspace ? { 'x-workspace-id': workspace } : {}
  },
})

export { ApiError }
