import type { AppContext } from '../../platform/context.js'
import type { MessageLinks } from './render-message.js'

/** What each signed link carries. Short keys: the token travels in SMS. */
export interface ClickToken {
  m: string
  u: string
}
export interface OpenToken {
  m: string
}
/** An unsubscribe from one group (`g`: its id) of a profile, from a message when there is one. */
export interface UnsubscribeToken {
  w: string
  p: string
  g: string | null
  m?: string
}
export interface PreferencesToken {
  w: string
  p: string
}

export const LINK_PURPOSES = {
  click: 'messaging.click',
  open: 'messaging.open',
  unsubscribe: 'messaging.unsubscribe',
  preferences: 'messaging.preferences',
} as const

/** The public paths of the tracker (served by tracking-routes.ts). */
export const TRACK_PATHS = { click: '/m/c/', open: '/m/o/', unsubscribe: '/m/u/', preferences: '/m/p/' } as const

/** The signed links of one message to one profile. */
export function messageLinks(
  ctx: AppContext,
  message: { id: string; workspaceId: string; profileId: string | null },
  groupId: string | null,
): MessageLinks {
  const base = ctx.config.publicUrl.replace(/\/$/, '')
  const profile = message.profileId ?? ''
  const unsubscribe: UnsubscribeToken = { w: message.workspaceId, p: profile, g: groupId, m: message.id }
  const preferences: PreferencesToken = { w: message.workspaceId, p: profile }
  // Each link is signed when first read: a message whose template uses none signs nothing.
  const once = (make: () => string) => {
    let value: string | undefined
    return () => (value ??= make())
  }
  const unsubscribeUrl = once(() => `${base}${TRACK_PATHS.unsubscribe}${ctx.secrets.sign(LINK_PURPOSES.unsubscribe, unsubscribe)}`)
  const preferencesUrl = once(() => `${base}${TRACK_PATHS.preferences}${ctx.secrets.sign(LINK_PURPOSES.preferences, preferences)}`)
  const pixelUrl = once(() => `${base}${TRACK_PATHS.open}${ctx.secrets.sign(LINK_PURPOSES.open, { m: message.id } satisfies OpenToken)}`)
  return {
    get unsubscribeUrl() {
      return unsubscribeUrl()
    },
    get preferencesUrl() {
      return preferencesUrl()
    },
    get pixelUrl() {
      return pixelUrl()
    },
    track: (url) => `${base}${TRACK_PATHS.click}${ctx.secrets.sign(LINK_PURPOSES.click, { m: message.id, u: url } satisfies ClickToken)}`,
  }
}
