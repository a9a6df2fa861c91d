import type { Clock } from '@reachloop/domain'
import type { AccessTokenCache } from './provider-adapter.js'

/** An access-token cache in one process's memory (adapter tests; the pipeline shares tokens through the database). */
export function memoryTokenCache(clock: Clock): AccessTokenCache {
  const tokens = new Map<string, { token: string; expiresAt: number }>()
  return {
    async get(key, fetchToken) {
      const held = tokens.get(key)
      if (held && held.expiresAt > clock.now().getTime()) return held.token
      const fresh = await fetchToken()
      // Refresh a little before the provider's expiry, so a token is never used in its last minute.
      tokens.set(key, { token: fresh.token, expiresAt: clock.now().getTime() + Math.max(0, fresh.expiresInMs - 60_000) })
      return fresh.token
    },
    async invalidate(key, token) {
      if (tokens.get(key)?.token === token) tokens.delete(key)
    },
  }
}
