import type { CallbackRequest, CallbackResult, ProviderReport } from '../provider-adapter.js'
import { chinaTime, parseJson, refuseWithoutCallbackToken, text } from './sms-shared.js'

const REPLY = { status: 200, contentType: 'application/json', body: JSON.stringify({ result: 0, errmsg: 'OK' }) }

/**
 * Tencent's pushes (回调配置): status reports come as a JSON array (user_receive_time, nationcode,
 * mobile, report_status SUCCESS/FAIL, errmsg, description, sid = the SerialNo), a reply as one
 * object (extend, mobile, nationcode, sign, text, time in epoch seconds). Tencent signs neither, so
 * the URL carries the account's callbackToken. Tencent expects `{"result":0,"errmsg":"OK"}` back.
 */
export function tencentSmsCallback(callbackToken: string | undefined, request: CallbackRequest, now: Date): CallbackResult {
  const refused = refuseWithoutCallbackToken(callbackToken, request)
  if (refused) return refused
  const body = parseJson(request.rawBody)
  if (Array.isArray(body)) {
    const reports: ProviderReport[] = []
    for (const item of body) {
      const sid = text(item, 'sid')
      const status = text(item, 'report_status')
      if (sid === undefined || (status !== 'SUCCESS' && status !== 'FAIL')) {
        return { ok: false, reason: 'malformed', message: 'a Tencent status report needs sid and report_status SUCCESS or FAIL' }
      }
      reports.push({
        kind: 'receipt',
        providerMessageId: sid,
        status: status === 'SUCCESS' ? 'delivered' : 'failed',
        at: chinaTime(text(item, 'user_receive_time'), now),
        code: text(item, 'errmsg'),
        message: text(item, 'description'),
      })
    }
    return { ok: true, reports, reply: REPLY }
  }
  const mobile = text(body, 'mobile')
  const replyText = text(body, 'text')
  if (mobile === undefined || replyText === undefined) {
    return { ok: false, reason: 'malformed', message: 'a Tencent push is an array of status reports or a reply with mobile and text' }
  }
  const seconds = Number(text(body, 'time'))
  const from = `+${text(body, 'nationcode') ?? '86'}${mobile}`
  return {
    ok: true,
    reports: [{ kind: 'reply', from, text: replyText, at: Number.isFinite(seconds) ? new Date(seconds * 1000) : now }],
    reply: REPLY,
  }
}
