import { Type, type Static } from '@sinclair/typebox'
import type { OutgoingMessage, ProviderAdapter } from '../provider-adapter.js'
import { stableTokenSource, withAccessToken } from './wechat-access-token.js'
import { apiUrl, callWechat } from './wechat-http.js'
import { failureOf, sentWith, succeeded, WECHAT_SEND_ERRORS, WECHAT_TOKEN_ERRORS } from './wechat-outcome.js'

export const WechatMiniprogramConfig = Type.Object({
  appId: Type.String({ minLength: 1 }),
  appSecret: Type.String({ minLength: 1 }),
  baseUrl: Type.String({ minLength: 1, default: 'https://api.weixin.qq.com' }),
})
export type WechatMiniprogramConfig = Static<typeof WechatMiniprogramConfig>

/**
 * Mini-program subscription messages (POST /cgi-bin/message/subscribe/send). The API takes no
 * dedupe id, so the idempotency key cannot be passed on. Errors are read as for the official
 * account: 43101 (the user refused or has no subscription left), 40003, 40037 and 47003 are
 * permanent; -1 and 45009 retryable.
 */
export const wechatMiniprogramAdapter: ProviderAdapter<WechatMiniprogramConfig> = {
  kind: 'wechat_miniprogram',
  configSchema: WechatMiniprogramConfig,
  secretFields: ['appSecret'],
  acceptsIdempotencyKey: false,
  async send(account, message, deps) {
    const body = subscribeMessageBody(message)
    if (!body) return { status: 'permanent', code: 'wrong_channel', message: `a ${message.content.channel} message sent to a mini program` }
    const config = account.config
    const tokens = stableTokenSource(deps, 'wechat_miniprogram', config)
    const call = await withAccessToken(deps, tokens, WECHAT_TOKEN_ERRORS, (token) =>
      callWechat(deps, { method: 'POST', url: apiUrl(config.baseUrl, '/cgi-bin/message/subscribe/send', { access_token: token }), body }),
    )
    if (!call.ok) return call.outcome
    if (!succeeded(call.answer)) return failureOf(call.answer, WECHAT_SEND_ERRORS, deps.clock.now())
    return sentWith(call.answer, call.answer.msgid)
  },
  async testConnection(account, deps) {
    const fetched = await stableTokenSource(deps, 'wechat_miniprogram', account.config).fetch()
    if (!fetched.ok) return { ok: false, code: fetched.outcome.code, message: fetched.outcome.message }
    return { ok: true, detail: `access token fetched for ${account.config.appId}` }
  },
}

function subscribeMessageBody(message: OutgoingMessage): Record<string, unknown> | null {
  const content = message.content
  if (content.channel !== 'miniprogram') return null
  return {
    touser: message.to,
    template_id: content.templateId,
    ...(content.page === undefined ? {} : { page: content.page }),
    data: content.data,
    ...(content.state === undefined ? {} : { miniprogram_state: content.state }),
    ...(content.lang === undefined ? {} : { lang: content.lang }),
  }
}
