import { createHash } from 'node:crypto'
import nodemailer, { type SMTPPoolOptions } from 'nodemailer'
import type { SmtpConfig } from './smtp-config.js'

type PooledTransport = ReturnType<typeof pooledTransport>

/** Connections per account: small, because most SMTP relays limit concurrent sessions per login. */
const MAX_CONNECTIONS = 2

/** Nodemailer options from an account's configuration (shared by the pooled sender and the one-off verify). */
export function transportOptions(config: SmtpConfig): SMTPPoolOptions {
  const dkim =
    config.dkimDomainName && config.dkimKeySelector && config.dkimPrivateKey
      ? { domainName: config.dkimDomainName, keySelector: config.dkimKeySelector, privateKey: config.dkimPrivateKey }
      : undefined
  return {
    host: config.host,
    port: config.port ?? 587,
    secure: config.secure ?? false,
    ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    ...(dkim ? { dkim } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  }
}

function pooledTransport(config: SmtpConfig) {
  return nodemailer.createTransport({ ...transportOptions(config), pool: true, maxConnections: MAX_CONNECTIONS })
}

const transports = new Map<string, { fingerprint: string; transport: PooledTransport }>()

/**
 * The pooled transport of an account, made on first use. A changed configuration (new password,
 * new host) closes the old pool and opens a new one.
 */
export function transportFor(accountId: string, config: SmtpConfig): PooledTransport {
  const fingerprint = createHash('sha256').update(JSON.stringify(config)).digest('hex')
  const held = transports.get(accountId)
  if (held?.fingerprint === fingerprint) return held.transport
  held?.transport.close()
  const transport = pooledTransport(config)
  transports.set(accountId, { fingerprint, transport })
  return transport
}

/** Closes every pooled SMTP connection (at shutdown, and after tests). */
export function closeSmtpTransports(): void {
  for (const { transport } of transports.values()) transport.close()
  transports.clear()
}
