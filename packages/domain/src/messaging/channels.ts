import type { StandardEvent } from '../ingest/event-vocabulary.js'
import { stringEnum } from '../contract/string-enum.js'

/** The channels a template is written for and a message goes out on. */
export const CHANNELS = ['email', 'sms', 'wechat', 'miniprogram', 'wecom', 'push', 'webhook'] as const
export type Channel = (typeof CHANNELS)[number]
export const ChannelSchema = stringEnum(CHANNELS)

/** The providers an account can be configured for, and the channel each serves. */
export const PROVIDER_CHANNEL = {
  smtp: 'email',
  aliyun_sms: 'sms',
  tencent_sms: 'sms',
  twilio: 'sms',
  wechat_official: 'wechat',
  wechat_miniprogram: 'miniprogram',
  wecom: 'wecom',
  jpush: 'push',
  fcm: 'push',
  apns: 'push',
  webhook: 'webhook',
} as const satisfies Record<string, Channel>
export type ProviderKind = keyof typeof PROVIDER_CHANNEL
export const PROVIDER_KINDS = Object.keys(PROVIDER_CHANNEL) as ProviderKind[]

/**
 * Marketing messages need consent under their subscription group's policy, and count against
 * frequency caps and quiet hours; transactional ones (a verification code, an order notice) are
 * exempt from all three.
 */
export const MESSAGE_CATEGORIES = ['marketing', 'transactional'] as const
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number]

/**
 * A message's life: queued → sending → sent → delivered, or failed / bounced; suppressed when the
 * rules stopped it before any provider saw it (its reason says which).
 */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'suppressed'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/** Why a message was not sent: every one that is not says which of these. */
export const SUPPRESSION_REASONS = ['no_consent', 'capped', 'quiet_hours', 'no_address', 'blocklisted', 'no_provider', 'cancelled'] as const
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number]

/** The internal events messaging writes on a profile's timeline. */
export const MESSAGE_EVENTS: Record<'sent' | 'delivered' | 'opened' | 'clicked' | 'failed' | 'unsubscribed', StandardEvent> = {
  sent: 'Message Sent',
  delivered: 'Message Delivered',
  opened: 'Message Opened',
  clicked: 'Message Clicked',
  failed: 'Message Failed',
  unsubscribed: 'Unsubscribed',
} as const

/** Where a channel's address comes from on the profile: an identifier type (phone, email, openid…). */
export const CHANNEL_ADDRESS: Record<Channel, string> = {
  email: 'email',
  sms: 'phone',
  wechat: 'wechat_openid',
  miniprogram: 'miniprogram_openid',
  wecom: 'wecom_external_userid',
  push: 'push_token',
  webhook: 'profile_id',
}
