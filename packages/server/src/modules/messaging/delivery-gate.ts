import {
  capBroken,
  capLookback,
  isTimeZone,
  mayReach,
  quietUntil,
  type Channel,
  type MessagingSettings,
  type SuppressionReason,
  type TemplateContent,
} from '@reachloop/domain'
import type { ProfileRecord } from '../identity/index.js'
import type { SubscriptionGroupRecord } from './consent-repository.js'
import type { MessageRecord } from './messages-repository.js'
import type { TemplateRecord } from './templates-repository.js'

/** What the rules say about one queued message. */
export type GateVerdict =
  | { verdict: 'send'; address: string; platform?: 'ios' | 'android'; sender?: string }
  | { verdict: 'suppress'; reason: SuppressionReason }
  | { verdict: 'defer'; until: Date; reason: 'quiet_hours' }
  | { verdict: 'fail'; reason: string }

/** Everything the gate reads for a batch, loaded once. */
export interface GateFacts {
  now: Date
  workspaceZone: string
  settings: MessagingSettings
  groups: readonly SubscriptionGroupRecord[]
  profiles: ReadonlyMap<string, ProfileRecord>
  identifiers: ReadonlyMap<string, ReadonlyArray<{ type: string; value: string }>>
  consents: ReadonlyMap<string, ReadonlyMap<string, { state: 'opted_in' | 'unsubscribed' }>>
  blocked: ReadonlySet<string>
  /** Marketing sends already counted per profile (read under the profile's lock), grown as this batch approves more. */
  sends: Map<string, Array<{ channel: string; at: Date }>>
}

/** A profile's time zone: its `timezone` trait when valid, else the workspace's. */
export function zoneOfProfile(profile: ProfileRecord | undefined, workspaceZone: string): string {
  const zone = profile?.traits.timezone
  return typeof zone === 'string' && isTimeZone(zone) ? zone : workspaceZone
}

/** The group whose consent a marketing template needs: its own, else its channel's first. */
export function groupOf(template: TemplateRecord, groups: readonly SubscriptionGroupRecord[]): SubscriptionGroupRecord | undefined {
  return (
    (template.subscriptionGroupId ? groups.find((g) => g.id === template.subscriptionGroupId) : undefined) ??
    groups.find((g) => g.channel === template.channel)
  )
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

/**
 * Where a message on a channel goes for a profile: an identifier it holds (email, phone,
 * wechat_openid, wecom_external_userid), else the trait of the same name; mini-program openids,
 * staff WeCom userids and push tokens are traits (`miniprogram_openid`, `wecom_userid`,
 * `push_token` with `push_platform`). Webhooks take the profile's id.
 */
export function addressOf(
  channel: Channel,
  content: TemplateContent,
  profile: ProfileRecord,
  identifiers: ReadonlyArray<{ type: string; value: string }>,
): { address: string; platform?: 'ios' | 'android'; sender?: string } | undefined {
  const identifier = (type: string) => identifiers.find((i) => i.type === type)?.value ?? text(profile.traits[type])
  switch (channel) {
    case 'email': {
      const a = identifier('email')
      return a ? { address: a } : undefined
    }
    case 'sms': {
      const a = identifier('phone')
      return a ? { address: a } : undefined
    }
    case 'wechat': {
      const a = identifier('wechat_openid')
      return a ? { address: a } : undefined
    }
    case 'miniprogram': {
      const a = text(profile.traits.miniprogram_openid)
      return a ? { address: a } : undefined
    }
    case 'wecom': {
      if (content.channel === 'wecom' && content.kind === 'app') {
        const a = text(profile.traits.wecom_userid)
        return a ? { address: a } : undefined
      }
      // A customer-contact message goes out through the staff member who owns the customer.
      const a = identifier('wecom_external_userid')
      const sender = text(profile.traits.wecom_owner_userid)
      return a && sender ? { address: a, sender } : undefined
    }
    case 'push': {
      const a = text(profile.traits.push_token)
      const platform = text(profile.traits.push_platform)
      return a ? { address: a, ...(platform === 'ios' || platform === 'android' ? { platform } : {}) } : undefined
    }
    case 'webhook':
      return { address: profile.id }
  }
}

/** The earliest instant the profile's marketing sends must be read from, for the caps. */
export function sendsLookback(settings: MessagingSettings, now: Date, zone: string): Date {
  return capLookback(settings.caps, now, zone)
}

/**
 * The rules, in the order that says most about why a message did not go: test sends skip them;
 * then the address, the blocklist, consent (marketing), quiet hours (marketing) and caps
 * (marketing). An approved marketing message is counted at once, so the next one of the batch to
 * the same profile sees it.
 */
export function gate(message: MessageRecord, template: TemplateRecord, content: TemplateContent, facts: GateFacts): GateVerdict {
  if (message.test) {
    return message.address ? { verdict: 'send', address: message.address } : { verdict: 'suppress', reason: 'no_address' }
  }
  const profile = message.profileId ? facts.profiles.get(message.profileId) : undefined
  if (!profile) return message.address ? { verdict: 'send', address: message.address } : { verdict: 'suppress', reason: 'no_address' }
  const found = message.address
    ? { address: message.address }
    : addressOf(message.channel, content, profile, facts.identifiers.get(profile.id) ?? [])
  if (!found) return { verdict: 'suppress', reason: 'no_address' }
  if (facts.blocked.has(found.address)) return { verdict: 'suppress', reason: 'blocklisted' }
  if (message.category === 'marketing') {
    const group = groupOf(template, facts.groups)
    if (group && !mayReach(group.policy, facts.consents.get(profile.id)?.get(group.id)?.state))
      return { verdict: 'suppress', reason: 'no_consent' }
    const zone = zoneOfProfile(profile, facts.workspaceZone)
    const until = quietUntil(facts.now, zone, facts.settings.quietHours)
    if (until)
      return facts.settings.quietHours.action === 'delay'
        ? { verdict: 'defer', until, reason: 'quiet_hours' }
        : { verdict: 'suppress', reason: 'quiet_hours' }
    const sends = facts.sends.get(profile.id) ?? []
    if (capBroken(facts.settings.caps, message.channel, facts.now, zone, sends)) return { verdict: 'suppress', reason: 'capped' }
    sends.push({ channel: message.channel, at: facts.now })
    facts.sends.set(profile.id, sends)
  }
  return { verdict: 'send', ...found }
}

/** Every address a message could go to (for one blocklist lookup per batch and channel). */
export function candidateAddresses(
  m: MessageRecord,
  identifiers: ReadonlyMap<string, ReadonlyArray<{ type: string; value: string }>>,
  profiles: ReadonlyMap<string, { traits: Record<string, unknown> }>,
): string[] {
  if (m.address) return [m.address]
  if (!m.profileId) return []
  const out = (identifiers.get(m.profileId) ?? []).map((i) => i.value)
  const traits = profiles.get(m.profileId)?.traits ?? {}
  for (const key of ['email', 'phone', 'miniprogram_openid', 'wecom_userid', 'push_token']) {
    const v = traits[key]
    if (typeof v === 'string') out.push(v)
  }
  return out
}
