import { createHash } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { ProviderAdapter } from '../provider-adapter.js'
import { SmtpConfig } from './smtp-config.js'
import { smtpFailure } from './smtp-outcome.js'
import { transportFor, transportOptions } from './smtp-transports.js'

export { SmtpConfig } from './smtp-config.js'
export { closeSmtpTransports } from './smtp-transports.js'

/** RFC 5322 dot-atom text: what may stand left of the @ in a Message-ID as it is. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/

/** The domain of an address (`"Shop" <news@shop.example>` → `shop.example`). */
function domainOf(address: string | undefined): string | undefined {
  const match = address?.match(/@([^\s>@]+)>?\s*$/)
  return match?.[1]?.toLowerCase()
}

/**
 * The Message-ID of a message: `<idempotency-key@domain>`, the same on every retry, so a receiving
 * system (and the bounce that comes back) can tie a copy to the message. A key that is not a
 * dot-atom is replaced by its SHA-256.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local =
    DOT_ATOM.test(idempotencyKey) && idempotencyKey.length <= 128
      ? idempotencyKey
      : createHash('sha256').update(idempotencyKey).digest('hex')
  return `<${local}@${domain}>`
}

/**
 * Email over SMTP with Nodemailer: one pooled transport per account, DKIM signing when configured.
 * SMTP has no idempotency: a retry after a lost reply to DATA can deliver a second copy (with the
 * same Message-ID, which some clients fold). Nodemailer takes no AbortSignal; its own connection,
 * greeting and socket timeouts bound a send instead.
 */
export const smtpAdapter: ProviderAdapter<SmtpConfig> = {
  kind: 'smtp',
  configSchema: SmtpConfig,
  secretFields: ['password', 'dkimPrivateKey'],
  acceptsIdempotencyKey: false,

  async send(account, message, _deps) {
    const content = message.content
    if (content.channel !== 'email')
      return { status: 'permanent', code: 'wrong_channel', message: `SMTP sends email, not ${content.channel}` }
    const { config } = account
    const from = content.from || config.from
    if (!from) return { status: 'permanent', code: 'no_sender', message: 'The message has no From address and the account no default' }
    const domain = config.dkimDomainName ?? domainOf(from) ?? config.host
    try {
      const info = await transportFor(account.id, config).sendMail({
        from,
        to: message.to,
        ...(content.replyTo ? { replyTo: content.replyTo } : {}),
        subject: content.subject,
        html: content.html,
        text: content.text,
        headers: content.headers,
        messageId: messageIdFor(message.idempotencyKey, domain),
      })
      if (info.rejected.length > 0) {
        const rejected = info.rejectedErrors?.[0]
        return rejected
          ? smtpFailure(rejected)
          : { status: 'permanent', code: 'rejected', message: `The server refused ${message.to}`, response: info }
      }
      return {
        status: 'sent',
        providerMessageId: info.messageId,
        response: { messageId: info.messageId, response: info.response, accepted: info.accepted },
      }
    } catch (error) {
      return smtpFailure(error)
    }
  },

  /** Connects, starts TLS when offered and logs in (Nodemailer's `verify`), then says QUIT: nothing is sent. */
  async testConnection(account) {
    const transport = nodemailer.createTransport(transportOptions(account.config))
    try {
      await transport.verify()
      return {
        ok: true,
        detail: `${account.config.host}:${account.config.port ?? 587} accepted the connection${account.config.user ? ' and the login' : ''}`,
      }
    } catch (error) {
      const failure = smtpFailure(error)
      return { ok: false, code: failure.code, message: failure.message }
    } finally {
      transport.close()
    }
  },
}
