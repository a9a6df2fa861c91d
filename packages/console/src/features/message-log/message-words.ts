import type { Channel } from '@reachloop/domain'
import type { Translate } from '../../i18n/i18n.js'

/** A channel in the reader's words. */
export const channelName = (channel: Channel, t: Translate) => t(`messageLog.channel.${channel}`)

/**
 * Why a message was not sent, in words: the rules' reasons translated, a provider's own code
 * (isv.BUSINESS_LIMIT_CONTROL, 40003…) shown as the provider gave it. The rules' reasons are
 * SUPPRESSION_REASONS, each with its words here.
 */
export function reasonInWords(reason: string | null, tMaybe: (key: string, fallback: string) => string): string {
  if (!reason) return ''
  return tMaybe(`messageLog.reason.${reason}`, reason)
}

/**
 * A phone or email with its middle hidden, as the server masks them in customer lists for a role
 * without `pii.read`: `+86138****8000`, `l***@example.com`. Other addresses (openids, tokens) are
 * not contact data and show as they are.
 */
export function maskAddress(channel: Channel, address: string): string {
  if (channel === 'email') {
    const [user = '', domain = ''] = address.split('@')
    return `${user.slice(0, 1)}***@${domain}`
  }
  if (channel === 'sms') return address.length <= 7 ? '****' : `${address.slice(0, address.length - 8)}****${address.slice(-4)}`
  return address
}
