import { Type, type Static } from '@sinclair/typebox'
import type { ProviderDeps } from '../provider-adapter.js'
import { wecomTokenSource, type TokenSource } from './wechat-access-token.js'
import type { ErrcodeTable } from './wechat-outcome.js'

export const WecomConfig = Type.Object({
  corpId: Type.String({ minLength: 1 }),
  agentId: Type.Integer({ minimum: 0 }),
  /** The app's Secret. */
  secret: Type.String({ minLength: 1 }),
  /** The customer-contact (客户联系) Secret, when customer messages are not sent with the app's. */
  contactSecret: Type.Optional(Type.String({ minLength: 1 })),
  baseUrl: Type.String({ minLength: 1, default: 'https://qyapi.weixin.qq.com' }),
  /** The app's callback Token and EncodingAESKey (WeCom callbacks are always encrypted). */
  callbackToken: Type.Optional(Type.String({ minLength: 1 })),
  encodingAesKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{43}$' })),
  /** WeCom drops an identical app message (same request JSON) within this many seconds; at most 4 hours. */
  duplicateCheckIntervalSeconds: Type.Integer({ minimum: 1, maximum: 14_400, default: 1800 }),
})
export type WecomConfig = Static<typeof WecomConfig>

/** 40014 invalid access_token, 42001 access_token expired (on WeCom 40001 means a wrong secret). */
export const WECOM_TOKEN_ERRORS: ReadonlySet<number> = new Set([40014, 42001])

/**
 * Retryable: -1 system busy, 45009 / 45011 frequency limits, 45033 too many concurrent calls, and a
 * token refused again right after a refresh. Everything else is permanent (81013 no valid
 * recipient, 40003 invalid userid, 60020 IP not trusted, 41054 / 84061 customer not a contact…).
 */
export const WECOM_SEND_ERRORS: ErrcodeTable = { retryable: new Set([-1, 45009, 45011, 45033, ...WECOM_TOKEN_ERRORS]) }

/** The token for the app's own APIs (application messages, agent/get). */
export function appTokens(deps: ProviderDeps, config: WecomConfig): TokenSource {
  return wecomTokenSource(deps, config, { identity: `agent:${config.agentId}`, value: config.secret })
}

/** The token for customer-contact APIs: the customer-contact secret if configured, else the app's. */
export function contactTokens(deps: ProviderDeps, config: WecomConfig): TokenSource {
  return config.contactSecret
    ? wecomTokenSource(deps, config, { identity: 'contact', value: config.contactSecret })
    : appTokens(deps, config)
}
