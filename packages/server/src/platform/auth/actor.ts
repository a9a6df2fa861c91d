import type { Role } from '@reachloop/domain'

/** Who made a change: a signed-in user, an API token, or the system itself (CLI, jobs). */
export interface Actor {
  kind: 'user' | 'token' | 'system'
  id: string | null
  label: string
}

/** The authenticated caller of a request. */
export interface Caller {
  user: { id: string; email: string; name: string }
  /** Set when the request came with an API token: it is bound to one workspace and role. */
  token: { id: string; name: string; workspaceId: string; role: Role } | null
}

/** The caller acting in one workspace with one role. */
export interface WorkspaceScope {
  workspaceId: string
  role: Role
  actor: Actor
  caller: Caller
  requestId: string | null
}

/** The actor a caller acts as. */
export function actorOf(caller: Caller): Actor {
  return caller.token
    ? { kind: 'token', id: caller.token.id, label: `${caller.token.name} (${caller.user.email})` }
    : { kind: 'user', id: caller.user.id, label: caller.user.email }
}

/** The system actor: CLI commands and jobs. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, label: 'system' }
