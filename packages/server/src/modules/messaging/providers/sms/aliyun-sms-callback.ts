import type { CallbackRequest, CallbackResult, ProviderReport } from '../provider-adapter.js'
import { chinaTime, parseJson, refuseWithoutCallbackToken, text } from './sms-shared.js'

/**
 * Aliyun's HTTP pushes (消息回执, "HTTP批量推送模式"): a JSON array, either of delivery reports
 * (SmsReport: phone_number, success, biz_id, out_id, send_time, report_time, err_code, err_msg,
 * sms_size) or of replies (SmsUp: phone_number, content, sign_name, send_time, dest_code,
 * sequence_id). Aliyun signs neither, so the URL carries the account's callbackToken. A report is
 * told from a reply by its biz_id. Aliyun expects `{"code":0,"msg":"成功"}` back, else it pushes again.
 */
export function aliyunSmsCallback(callbackToken: string | undefined, request: CallbackRequest, now: Date): CallbackResult {
  const refused = refuseWithoutCallbackToken(callbackToken, request)
  if (refused) return refused
  const items = parseJson(request.rawBody)
  if (!Array.isArray(items)) return { ok: false, reason: 'malformed', message: 'an Aliyun push is a JSON array' }
  const reports: ProviderReport[] = []
  for (const item of items) {
    const bizId = text(item, 'biz_id')
    const phone = text(item, 'phone_number')
    if (bizId !== undefined) {
      const success = (item as { success?: unknown }).success
      const delivered = success === true || success === 'true'
      reports.push({
        kind: 'receipt',
        providerMessageId: bizId,
        status: delivered ? 'delivered' : 'failed',
        at: chinaTime(text(item, 'report_time'), now),
        code: text(item, 'err_code'),
        message: text(item, 'err_msg'),
      })
    } else if (phone !== undefined && text(item, 'content') !== undefined) {
      reports.push({
        kind: 'reply',
        from: e164FromAliyun(phone),
        text: text(item, 'content') ?? '',
        at: chinaTime(text(item, 'send_time'), now),
      })
    } else {
      return {
        ok: false,
        reason: 'malformed',
        message: 'an Aliyun push item is neither a report (biz_id) nor a reply (phone_number, content)',
      }
    }
  }
  return { ok: true, reports, reply: { status: 200, contentType: 'application/json', body: JSON.stringify({ code: 0, msg: '成功' }) } }
}

/**
 * Aliyun writes mainland numbers without a country code (13800000000) and others with it, without
 * a plus (85212345678). Mainland mobile numbers are 11 digits starting with 1.
 */
export function e164FromAliyun(phone: string): string {
  const digits = phone.replace(/^\+/, '')
  return /^1\d{10}$/.test(digits) ? `+86${digits}` : `+${digits}`
}

/** The number as Aliyun wants it: mainland without +86 (13800000000), others as country code + number without + or 00. */
export function aliyunPhoneNumber(e164: string): string {
  const digits = e164.replace(/^\+/, '')
  return digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits
}
