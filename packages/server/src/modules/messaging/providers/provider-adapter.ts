import type { Clock } from '@reachloop/domain'
import type { TObject } from '@sinclair/typebox'

/**
 * The contract between the delivery pipeline and a channel provider (DESIGN §6, messaging). An
 * adapter builds exactly the request its provider documents, and maps the answer to one of three
 * outcomes. It never touches the database: the pipeline gives it what it needs (the account's
 * decrypted configuration, the shared access-token cache, fetch, the clock).
 */

// The channels and provider kinds are the domain's (the console shows them too).
export { CHANNELS, PROVIDER_CHANNEL, type Channel, type ProviderKind } from '@reachloop/domain'
import type { ProviderKind } from '@reachloop/domain'

/** A message rendered for its channel: what the adapter turns into the provider's request. */
export type RenderedMessage =
  | {
      channel: 'email'
      from: string
      replyTo?: string
      subject: string
      /** Hidden preview line, already placed at the top of `html` by the renderer. */
      preheader: string
      html: string
      text: string
      /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
      headers: Record<string, string>
    }
  | {
      channel: 'sms'
      /** The provider's approved template code (Aliyun `SMS_123`, Tencent's numeric id, unused by Twilio). */
      templateCode: string
      /** Named parameters in the template's order (Tencent takes them positionally in this order). */
      params: Array<{ name: string; value: string }>
      /** The approved signature name (签名), e.g. 阿里云短信测试. */
      signName: string
      /** The final text as the customer reads it (Twilio sends this body). */
      text: string
    }
  | {
      channel: 'wechat'
      templateId: string
      data: Record<string, { value: string }>
      url?: string
      miniprogram?: { appid: string; pagepath: string }
    }
  | {
      channel: 'miniprogram'
      templateId: string
      data: Record<string, { value: string }>
      page?: string
      /** developer / trial / formal */
      state?: 'developer' | 'trial' | 'formal'
      lang?: string
    }
  | {
      channel: 'wecom'
      /** `app`: an application message to a staff member; `customer`: a customer-contact mass message through the owning staff member. */
      kind: 'app' | 'customer'
      text: string
      /** For `customer`: the staff member (userid) who sends it to the customer. */
      sender?: string
    }
  | {
      channel: 'push'
      title: string
      body: string
      deepLink?: string
      badge?: number
      data?: Record<string, string>
      android?: { channelId?: string; priority?: 'normal' | 'high' }
      ios?: { sound?: string; threadId?: string }
    }
  | { channel: 'webhook'; body: unknown }

/**
 * One message to send. `to` is the address on its channel: an email address, a phone number in
 * E.164 (+8613800000000), an openid, a WeCom userid or external_userid, a push device token (with
 * `platform`), or for webhooks the profile id (the URL is the account's).
 */
export interface OutgoingMessage {
  messageId: string
  /** Stable across retries and crashes of this message: passed to providers that accept one. */
  idempotencyKey: string
  to: string
  platform?: 'ios' | 'android'
  content: RenderedMessage
}

/** What the provider answered, mapped for the pipeline. `code` and `message` are the provider's own. */
export type SendOutcome =
  | { status: 'sent'; providerMessageId: string | null; response: unknown }
  | { status: 'retryable'; code: string; message: string; retryAfterMs?: number; response?: unknown }
  | { status: 'permanent'; code: string; message: string; response?: unknown }

/**
 * Access tokens shared by every process (kept in the database by the pipeline; in memory in adapter
 * tests). `get` returns the cached token for `key` or one fetched with `fetchToken`, held until
 * shortly before it expires; `invalidate` drops it when the provider says it is no longer valid
 * (WeChat 40001 / 42001), so the next `get` fetches a new one.
 */
export interface AccessTokenCache {
  get(key: string, fetchToken: () => Promise<{ token: string; expiresInMs: number }>): Promise<string>
  invalidate(key: string, token: string): Promise<void>
}

export interface ProviderDeps {
  fetch: typeof fetch
  clock: Clock
  tokens: AccessTokenCache
  signal?: AbortSignal
}

/** A provider's configured account: its id and its decrypted configuration (credentials, base URL…). */
export interface ProviderAccount<C> {
  id: string
  config: C
}

/** A delivery receipt (or an inbound reply) taken from a provider's callback. */
export type ProviderReport =
  | {
      kind: 'receipt'
      providerMessageId: string
      status: 'delivered' | 'failed' | 'bounced'
      at: Date
      code?: string
      message?: string
    }
  | { kind: 'reply'; from: string; text: string; at: Date }

/** A provider's callback request as received (the raw body is kept for signatures over it). */
export interface CallbackRequest {
  method: string
  headers: Record<string, string | undefined>
  query: Record<string, string | undefined>
  rawBody: string
  /** The public URL the provider called (some schemes sign it, e.g. Twilio's). */
  url: string
}

/** What to answer the provider, and the reports the callback carried. */
export type CallbackResult =
  | { ok: true; reports: ProviderReport[]; reply: { status: number; contentType: string; body: string } }
  | { ok: false; reason: 'bad_signature' | 'malformed'; message: string }

/** What a later look at the provider says about a message whose outcome the pipeline never recorded. */
export type Reconciliation =
  { found: 'sent'; providerMessageId: string | null } | { found: 'not_sent' } | { found: 'unknown'; reason: string }

export interface ProviderAdapter<C = unknown> {
  kind: ProviderKind
  /** The account configuration: a TypeBox object schema (base URL included, with its public default). */
  configSchema: TObject
  /** Configuration fields that are secrets: encrypted at rest, never shown back. */
  secretFields: readonly string[]
  /** Whether the provider itself drops a second request with the same idempotency key. */
  acceptsIdempotencyKey: boolean
  send(account: ProviderAccount<C>, message: OutgoingMessage, deps: ProviderDeps): Promise<SendOutcome>
  /** A harmless real call that proves the credentials and the base URL (e.g. fetching a token, a balance). */
  testConnection(
    account: ProviderAccount<C>,
    deps: ProviderDeps,
  ): Promise<{ ok: true; detail: string } | { ok: false; code: string; message: string }>
  /** Verifies a callback by the provider's own scheme and reads its receipts and replies. */
  callback?(account: ProviderAccount<C>, request: CallbackRequest, deps: ProviderDeps): Promise<CallbackResult>
  /** For a message left `sending` by a crash: asks the provider whether it went out. */
  reconcile?(account: ProviderAccount<C>, message: OutgoingMessage, sentAfter: Date, deps: ProviderDeps): Promise<Reconciliation>
  /** For sends the provider completes later (WeCom customer mass messages): the result, once known. */
  fetchResult?(account: ProviderAccount<C>, providerMessageId: string, deps: ProviderDeps): Promise<SendOutcome | { status: 'pending' }>
}
