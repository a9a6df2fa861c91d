import type { AppContext } from '../../platform/context.js'
import type { MessageRecord } from './messages-repository.js'
import type { ProviderAccountRecord } from './provider-accounts-repository.js'
import { databaseTokenCache } from './provider-accounts-repository.js'
import type { OutgoingMessage, ProviderDeps } from './providers/provider-adapter.js'

/** A message cleared to go: what the adapter gets, the account it goes through, and which attempt this is. */
export interface ReadySend {
  message: MessageRecord
  account: ProviderAccountRecord
  outgoing: OutgoingMessage
  attempt: number
}

/** The deps an adapter gets for an account: real fetch, the clock, the database-shared token cache. */
export function providerDeps(ctx: AppContext, accountId: string, signal?: AbortSignal): ProviderDeps {
  return { fetch: globalThis.fetch, clock: ctx.clock, tokens: databaseTokenCache(ctx, accountId), ...(signal ? { signal } : {}) }
}
