import { createHash } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import type { OutgoingMessage, ProviderAdapter, ProviderDeps, SendOutcome } from '../provider-adapter.js'
import { stableTokenSource, withAccessToken } from './wechat-access-token.js'
import { apiUrl, callWechat } from './wechat-http.js'
import { officialAccountCallback } from './wechat-official-callback.js'
import { failureOf, sentWith, succeeded, WECHAT_SEND_ERRORS, WECHAT_TOKEN_ERRORS } from './wechat-outcome.js'

export const WechatOfficialConfig = Type.Object({
  appId: Type.String({ minLength: 1 }),
  appSecret: Type.String({ minLength: 1 }),
  baseUrl: Type.String({ minLength: 1, default: 'https://api.weixin.qq.com' }),
  /** The Token of the server configuration (服务器配置), which signs callbacks. */
  callbackToken: Type.Optional(Type.String({ minLength: 1 })),
  /** EncodingAESKey, for callbacks in safe (encrypted) mode. */
  encodingAesKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{43}$' })),
})
export type WechatOfficialConfig = Static<typeof WechatOfficialConfig>

/**
 * Official-account template messages (POST /cgi-bin/message/template/send). The idempotency key is
 * sent as client_msg_id: WeChat sends one message per openid + client_msg_id, but only guarantees
 * it for 10 minutes, so a retry later than that may be delivered twice.
 */
export const wechatOfficialAdapter: ProviderAdapter<WechatOfficialConfig> = {
  kind: 'wechat_official',
  configSchema: WechatOfficialConfig,
  secretFields: ['appSecret', 'callbackToken', 'encodingAesKey'],
  acceptsIdempotencyKey: true,
  async send(account, message, deps) {
    const body = templateMessageBody(message)
    if (!body)
      return {
        status: 'permanent',
        code: 'wrong_channel',
        message: `a ${message.content.channel} message sent to a WeChat official account`,
      }
    const config = account.config
    const tokens = stableTokenSource(deps, 'wechat_official', config)
    const call = await withAccessToken(deps, tokens, WECHAT_TOKEN_ERRORS, (token) =>
      callWechat(deps, { method: 'POST', url: apiUrl(config.baseUrl, '/cgi-bin/message/template/send', { access_token: token }), body }),
    )
    return outcomeOf(call, deps)
  },
  async testConnection(account, deps) {
    const fetched = await stableTokenSource(deps, 'wechat_official', account.config).fetch()
    if (!fetched.ok) return { ok: false, code: fetched.outcome.code, message: fetched.outcome.message }
    const call = await callWechat(deps, {
      method: 'GET',
      url: apiUrl(account.config.baseUrl, '/cgi-bin/get_api_domain_ip', { access_token: fetched.token }),
    })
    if (!call.ok) return { ok: false, code: call.outcome.code, message: call.outcome.message }
    if (!succeeded(call.answer)) return { ok: false, code: String(call.answer.errcode), message: call.answer.errmsg ?? '' }
    const addresses = Array.isArray(call.answer.ip_list) ? call.answer.ip_list.length : 0
    return { ok: true, detail: `access token fetched for ${account.config.appId}; the API domain resolves to ${addresses} addresses` }
  },
  callback: (account, request, deps) => Promise.resolve(officialAccountCallback(account.config, request, deps.clock.now())),
}

function templateMessageBody(message: OutgoingMessage): Record<string, unknown> | null {
  const content = message.content
  if (content.channel !== 'wechat') return null
  return {
    touser: message.to,
    template_id: content.templateId,
    ...(content.url === undefined ? {} : { url: content.url }),
    ...(content.miniprogram === undefined
      ? {}
      : { miniprogram: { appid: content.miniprogram.appid, pagepath: content.miniprogram.pagepath } }),
    client_msg_id: clientMsgId(message.idempotencyKey),
    data: content.data,
  }
}

/**
 * The idempotency key, or its SHA-256 (64 hex characters) when longer than 64 bytes: the template API
 * documents no length, the mass-send clientmsgid allows 64 bytes, so we stay within that.
 */
export function clientMsgId(idempotencyKey: string): string {
  return Buffer.byteLength(idempotencyKey) <= 64 ? idempotencyKey : createHash('sha256').update(idempotencyKey).digest('hex')
}

function outcomeOf(call: Awaited<ReturnType<typeof callWechat>>, deps: ProviderDeps): SendOutcome {
  if (!call.ok) return call.outcome
  if (!succeeded(call.answer)) return failureOf(call.answer, WECHAT_SEND_ERRORS, deps.clock.now())
  return sentWith(call.answer, call.answer.msgid)
}
