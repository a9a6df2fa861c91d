import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { CHANNELS, type Channel } from './channels.js'
import { startOfLocalDay, type QuietHours } from './local-time.js'

/** A subscription group's policy: opt_in needs explicit consent (marketing SMS), opt_out reaches everyone not unsubscribed. */
export const SUBSCRIPTION_POLICIES = ['opt_in', 'opt_out'] as const
export type SubscriptionPolicy = (typeof SUBSCRIPTION_POLICIES)[number]
/** A profile's recorded consent in a group; no record means the policy alone decides. */
export const CONSENT_STATES = ['opted_in', 'unsubscribed'] as const
export type ConsentState = (typeof CONSENT_STATES)[number]

/** The groups every workspace starts with, one per channel's marketing messages, named in the workspace's language (`nameZh` for zh-CN). */
export const DEFAULT_SUBSCRIPTION_GROUPS: ReadonlyArray<{
  key: string
  channel: Channel
  policy: SubscriptionPolicy
  name: string
  nameZh: string
}> = [
  { key: 'marketing_email', channel: 'email', policy: 'opt_out', name: 'Marketing email', nameZh: '营销邮件' },
  { key: 'marketing_sms', channel: 'sms', policy: 'opt_in', name: 'Marketing SMS', nameZh: '营销短信' },
  { key: 'wechat_notices', channel: 'wechat', policy: 'opt_out', name: 'WeChat notices', nameZh: '公众号通知' },
  { key: 'miniprogram_notices', channel: 'miniprogram', policy: 'opt_in', name: 'Mini-program notices', nameZh: '小程序订阅消息' },
  { key: 'wecom_messages', channel: 'wecom', policy: 'opt_out', name: 'WeCom messages', nameZh: '企业微信消息' },
  { key: 'push_notifications', channel: 'push', policy: 'opt_out', name: 'Push notifications', nameZh: 'App 推送' },
  { key: 'webhook_marketing', channel: 'webhook', policy: 'opt_out', name: 'Webhook marketing', nameZh: 'Webhook 营销' },
]

/** Whether a profile may get marketing messages of a group: its consent under the group's policy. */
export function mayReach(policy: SubscriptionPolicy, state: ConsentState | undefined): boolean {
  return policy === 'opt_in' ? state === 'opted_in' : state !== 'unsubscribed'
}

/**
 * A frequency cap on marketing messages: at most `max` on `channel` (or across all channels) per
 * rolling 24 hours, per local calendar day of the profile, or per rolling 7 days.
 */
export const CapRule = Type.Object(
  {
    channel: Type.Union([stringEnum(CHANNELS), Type.Literal('all')]),
    max: Type.Integer({ minimum: 0, maximum: 1000 }),
    per: stringEnum(['rolling_24h', 'day', 'rolling_7d'] as const),
  },
  { additionalProperties: false },
)
export type CapRule = Static<typeof CapRule>

export const QuietHoursSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    action: stringEnum(['delay', 'drop'] as const),
  },
  { additionalProperties: false },
)

export const MessagingSettings = Type.Object(
  { quietHours: QuietHoursSchema, caps: Type.Array(CapRule, { maxItems: 20 }) },
  { additionalProperties: false },
)
export type MessagingSettings = Static<typeof MessagingSettings>

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  quietHours: { enabled: true, start: '21:00', end: '08:00', action: 'delay' } satisfies QuietHours,
  caps: [
    { channel: 'all', max: 3, per: 'rolling_24h' },
    { channel: 'sms', max: 1, per: 'day' },
  ],
}

const HOUR_MS = 3_600_000

/** Where a cap's window starts for a send at `now` to a profile in `zone`. */
export function capWindowStart(rule: CapRule, now: Date, zone: string): Date {
  switch (rule.per) {
    case 'rolling_24h':
      return new Date(now.getTime() - 24 * HOUR_MS)
    case 'rolling_7d':
      return new Date(now.getTime() - 7 * 24 * HOUR_MS)
    case 'day':
      return startOfLocalDay(now, zone)
  }
}

/** The earliest instant any of the caps looks back to: how far back a profile's sends must be read. */
export function capLookback(rules: readonly CapRule[], now: Date, zone: string): Date {
  let earliest = now
  for (const rule of rules) {
    const start = capWindowStart(rule, now, zone)
    if (start < earliest) earliest = start
  }
  return earliest
}

/**
 * The first cap a marketing message on `channel` would break, given the profile's marketing sends
 * already counted (in flight or done), or null when it may go.
 *
 * @example
 * capBroken(DEFAULT_MESSAGING_SETTINGS.caps, 'sms', now, 'Asia/Shanghai', [{ channel: 'sms', at: earlierToday }])
 * // { channel: 'sms', max: 1, per: 'day' }
 */
export function capBroken(
  rules: readonly CapRule[],
  channel: Channel,
  now: Date,
  zone: string,
  sends: ReadonlyArray<{ channel: string; at: Date }>,
): CapRule | null {
  for (const rule of rules) {
    if (rule.channel !== 'all' && rule.channel !== channel) continue
    const start = capWindowStart(rule, now, zone).getTime()
    const counted = sends.filter((s) => s.at.getTime() >= start && (rule.channel === 'all' || s.channel === rule.channel)).length
    if (counted >= rule.max) return rule
  }
  return null
}
