import { assertNever } from '@reachloop/domain'
import type { OutgoingMessage, ProviderAdapter, ProviderDeps, SendOutcome } from '../provider-adapter.js'
import { withAccessToken } from './wechat-access-token.js'
import { apiUrl, callWechat } from './wechat-http.js'
import { failureOf, sentWith, succeeded } from './wechat-outcome.js'
import { wecomCallback } from './wecom-callback.js'
import { appTokens, contactTokens, WECOM_SEND_ERRORS, WECOM_TOKEN_ERRORS, WecomConfig } from './wecom-config.js'
import { createCustomerMessage, customerMessageResult } from './wecom-customer-message.js'

/**
 * WeCom: application messages to staff (`app`, POST /cgi-bin/message/send) and customer-contact
 * messages sent through a staff member (`customer`, POST /cgi-bin/externalcontact/add_msg_template,
 * completed when the staff member confirms; see fetchResult).
 *
 * acceptsIdempotencyKey is false: WeCom takes no idempotency key. App messages ask for its
 * duplicate check (enable_duplicate_check), which drops a request whose JSON is identical to one
 * sent within the interval: a retry of the same rendered message is dropped within it, but so is a
 * different message with the same text to the same person, and a retry after it is delivered again.
 */
export const wecomAdapter: ProviderAdapter<WecomConfig> = {
  kind: 'wecom',
  configSchema: WecomConfig,
  secretFields: ['secret', 'contactSecret', 'callbackToken', 'encodingAesKey'],
  acceptsIdempotencyKey: false,
  async send(account, message, deps) {
    const content = message.content
    if (content.channel !== 'wecom')
      return { status: 'permanent', code: 'wrong_channel', message: `a ${content.channel} message sent to WeCom` }
    switch (content.kind) {
      case 'app':
        return sendAppMessage(account.config, message, content.text, deps)
      case 'customer':
        return createCustomerMessage(account.config, message.to, content, deps)
      default:
        return assertNever(content.kind)
    }
  },
  async testConnection(account, deps) {
    const config = account.config
    const fetched = await appTokens(deps, config).fetch()
    if (!fetched.ok) return { ok: false, code: fetched.outcome.code, message: fetched.outcome.message }
    const call = await callWechat(deps, {
      method: 'GET',
      url: apiUrl(config.baseUrl, '/cgi-bin/agent/get', { access_token: fetched.token, agentid: config.agentId }),
    })
    if (!call.ok) return { ok: false, code: call.outcome.code, message: call.outcome.message }
    if (!succeeded(call.answer)) return { ok: false, code: String(call.answer.errcode), message: call.answer.errmsg ?? '' }
    const name = typeof call.answer.name === 'string' ? call.answer.name : `agent ${config.agentId}`
    let detail = `WeCom app "${name}" (agentid ${config.agentId}) of ${config.corpId}`
    if (config.contactSecret) {
      const contact = await contactTokens(deps, config).fetch()
      if (!contact.ok) return { ok: false, code: contact.outcome.code, message: `customer-contact secret: ${contact.outcome.message}` }
      detail += '; customer-contact secret accepted'
    }
    return { ok: true, detail }
  },
  fetchResult: (account, providerMessageId, deps) => customerMessageResult(account.config, providerMessageId, deps),
  callback: (account, request, deps) => Promise.resolve(wecomCallback(account.config, request, deps.clock.now())),
}

async function sendAppMessage(config: WecomConfig, message: OutgoingMessage, text: string, deps: ProviderDeps): Promise<SendOutcome> {
  const body = {
    touser: message.to,
    msgtype: 'text',
    agentid: config.agentId,
    text: { content: text },
    enable_duplicate_check: 1,
    duplicate_check_interval: config.duplicateCheckIntervalSeconds,
  }
  const call = await withAccessToken(deps, appTokens(deps, config), WECOM_TOKEN_ERRORS, (token) =>
    callWechat(deps, { method: 'POST', url: apiUrl(config.baseUrl, '/cgi-bin/message/send', { access_token: token }), body }),
  )
  if (!call.ok) return call.outcome
  const answer = call.answer
  if (!succeeded(answer)) return failureOf(answer, WECOM_SEND_ERRORS, deps.clock.now())
  // A partly valid send still answers 0, listing the refused userids (lower-cased) in invaliduser or unlicenseduser.
  for (const list of ['invaliduser', 'unlicenseduser'] as const) {
    const refused = typeof answer[list] === 'string' ? answer[list].toLowerCase().split('|') : []
    if (refused.includes(message.to.toLowerCase())) {
      return { status: 'permanent', code: list, message: `WeCom refused userid ${message.to} (${list})`, response: answer }
    }
  }
  return sentWith(answer, answer.msgid)
}
