import type { Channel } from './channels.js'
import { DEFAULT_SUBSCRIPTION_GROUPS } from './delivery-rules.js'

/**
 * The channels whose consent may be sent at ingestion as Braze-style traits `<channel>_subscribe`
 * (`opted_in`, `subscribed` or `unsubscribed`). Such a trait sets consent in the channel's default
 * group; it is not kept on the profile, since consent lives in one place (the subscription groups).
 */
export const CONSENT_TRAIT_CHANNELS = ['email', 'sms', 'push', 'wechat', 'wecom'] as const satisfies readonly Channel[]
export type ConsentTraitChannel = (typeof CONSENT_TRAIT_CHANNELS)[number]

/** The trait that carries a channel's consent at ingestion. */
export const consentTrait = (channel: ConsentTraitChannel) => `${channel}_subscribe`

const CONSENT_TRAITS: ReadonlySet<string> = new Set(CONSENT_TRAIT_CHANNELS.map(consentTrait))

/** Whether a trait carries consent (and so is recorded by messaging, not kept on the profile). */
export const isConsentTrait = (key: string) => CONSENT_TRAITS.has(key)

/**
 * The key of a channel's default subscription group: the first group of that channel in
 * DEFAULT_SUBSCRIPTION_GROUPS. A consent trait sets it, and a segment condition that names a
 * channel instead of a group reads it.
 *
 * @example
 * defaultGroupKey('sms') // 'marketing_sms'
 */
export function defaultGroupKey(channel: Channel): string | undefined {
  return DEFAULT_SUBSCRIPTION_GROUPS.find((g) => g.channel === channel)?.key
}
