import { Type, type Static } from '@sinclair/typebox'

/**
 * An SMTP relay account. There is no `baseUrl`: `host` and `port` are the endpoint, and pointing
 * them at a proxy or a private relay is the override. The DKIM fields are flat rather than a nested
 * object so that `dkimPrivateKey` is a top-level secret field like every other secret.
 */
export const SmtpConfig = Type.Object({
  host: Type.String({ minLength: 1 }),
  /** 587 (submission, STARTTLS when offered) by default; 465 with `secure`. */
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, default: 587 })),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: Type.Optional(Type.Boolean({ default: false })),
  user: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  /** The sender when a message has none, e.g. `"Shop" <news@shop.example>`. */
  from: Type.Optional(Type.String()),
  /** DKIM signing (RFC 6376), when all three are set: the d= domain, the s= selector and the RSA private key (PEM). */
  dkimDomainName: Type.Optional(Type.String()),
  dkimKeySelector: Type.Optional(Type.String()),
  dkimPrivateKey: Type.Optional(Type.String()),
})
export type SmtpConfig = Static<typeof SmtpConfig>
