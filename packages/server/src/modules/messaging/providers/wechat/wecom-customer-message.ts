import type { ProviderDeps, SendOutcome } from '../provider-adapter.js'
import { withAccessToken } from './wechat-access-token.js'
import { apiUrl, callWechat } from './wechat-http.js'
import { failureOf, succeeded } from './wechat-outcome.js'
import { contactTokens, WECOM_SEND_ERRORS, WECOM_TOKEN_ERRORS, type WecomConfig } from './wecom-config.js'

/**
 * A customer-contact message's providerMessageId is `msgid|sender|external_userid`: fetchResult gets
 * only this id, and WeCom's result query needs the staff member (userid) as well as the msgid, and
 * answers for every customer of the task. WeCom ids never contain `|` (userids are letters, digits
 * and `_-@.`; msgid and external_userid letters, digits, `_` and `-`).
 */
export function customerMessageId(msgid: string, sender: string, externalUserId: string): string {
  return [msgid, sender, externalUserId].join('|')
}

/**
 * Creates the mass-message task (chat_type single, one customer). "Sent" here means created and
 * waiting for the staff member to confirm it in WeCom; fetchResult reports what happened after.
 */
export async function createCustomerMessage(
  config: WecomConfig,
  to: string,
  content: { text: string; sender?: string },
  deps: ProviderDeps,
): Promise<SendOutcome> {
  const sender = content.sender
  if (!sender) return { status: 'permanent', code: 'no_sender', message: 'a customer message needs the staff member (sender) who sends it' }
  const body = { chat_type: 'single', external_userid: [to], sender, text: { content: content.text } }
  const call = await withAccessToken(deps, contactTokens(deps, config), WECOM_TOKEN_ERRORS, (token) =>
    callWechat(deps, {
      method: 'POST',
      url: apiUrl(config.baseUrl, '/cgi-bin/externalcontact/add_msg_template', { access_token: token }),
      body,
    }),
  )
  if (!call.ok) return call.outcome
  const answer = call.answer
  if (!succeeded(answer)) return failureOf(answer, WECOM_SEND_ERRORS, deps.clock.now())
  const failed = Array.isArray(answer.fail_list) ? answer.fail_list : []
  if (failed.includes(to))
    return { status: 'permanent', code: 'fail_list', message: `WeCom cannot send to ${to} through ${sender}`, response: answer }
  if (typeof answer.msgid !== 'string') return { status: 'permanent', code: 'malformed_answer', message: 'no msgid', response: answer }
  return { status: 'sent', providerMessageId: customerMessageId(answer.msgid, sender, to), response: answer }
}

const SEND_STATUS_FAILURES: Record<number, string> = {
  2: 'the customer is not a contact of the sender',
  3: 'the customer has already received a mass message today',
}

/**
 * The task's result for our customer (POST /cgi-bin/externalcontact/get_groupmsg_send_result, paged):
 * status 0 not sent yet → pending, 1 sent, 2 / 3 permanent. A customer not (yet) listed is pending.
 */
export async function customerMessageResult(
  config: WecomConfig,
  providerMessageId: string,
  deps: ProviderDeps,
): Promise<SendOutcome | { status: 'pending' }> {
  const [msgid, userid, externalUserId, ...rest] = providerMessageId.split('|')
  if (!msgid || !userid || !externalUserId || rest.length > 0) {
    return {
      status: 'permanent',
      code: 'bad_provider_message_id',
      message: `expected msgid|sender|external_userid, got ${providerMessageId}`,
    }
  }
  let cursor: string | undefined
  // Bounded: a single-customer task has one row; the bound only guards against a cursor that never ends.
  for (let page = 0; page < 50; page += 1) {
    const body = { msgid, userid, limit: 1000, ...(cursor ? { cursor } : {}) }
    const call = await withAccessToken(deps, contactTokens(deps, config), WECOM_TOKEN_ERRORS, (token) =>
      callWechat(deps, {
        method: 'POST',
        url: apiUrl(config.baseUrl, '/cgi-bin/externalcontact/get_groupmsg_send_result', { access_token: token }),
        body,
      }),
    )
    if (!call.ok) return call.outcome
    const answer = call.answer
    if (!succeeded(answer)) return failureOf(answer, WECOM_SEND_ERRORS, deps.clock.now())
    const rows = Array.isArray(answer.send_list) ? (answer.send_list as Array<Record<string, unknown>>) : []
    const row = rows.find((r) => r.external_userid === externalUserId)
    if (row) return outcomeOfStatus(row, providerMessageId, answer)
    cursor = typeof answer.next_cursor === 'string' && answer.next_cursor !== '' ? answer.next_cursor : undefined
    if (!cursor) break
  }
  return { status: 'pending' }
}

function outcomeOfStatus(row: Record<string, unknown>, providerMessageId: string, response: unknown): SendOutcome | { status: 'pending' } {
  const status = typeof row.status === 'number' ? row.status : -1
  if (status === 1) return { status: 'sent', providerMessageId, response }
  const failure = SEND_STATUS_FAILURES[status]
  if (failure) return { status: 'permanent', code: `send_status_${status}`, message: failure, response }
  return { status: 'pending' }
}
