import type { CallbackRequest, CallbackResult, ProviderReport } from '../provider-adapter.js'
import { isTwilioSignature } from './twilio-signature.js'

// An empty TwiML answer: Twilio sends nothing back to the customer.
const TWIML = { status: 200, contentType: 'text/xml', body: '<Response></Response>' }

/**
 * Twilio's webhooks for this account: status callbacks (MessageSid, MessageStatus, ErrorCode) and
 * inbound messages (From, Body), form-encoded and signed with X-Twilio-Signature over the URL
 * Twilio called and the POST parameters. Only final statuses become receipts: `delivered`, and
 * `undelivered` or `failed` (both `failed`, with Twilio's ErrorCode); queued, sending and sent are
 * steps on the way. Twilio's status callbacks carry no time, so a receipt is dated when it arrives.
 */
export function twilioCallback(authToken: string, request: CallbackRequest, now: Date): CallbackResult {
  const signature = request.headers['x-twilio-signature']
  if (!signature) return { ok: false, reason: 'bad_signature', message: 'the request carries no X-Twilio-Signature' }
  const params = [...new URLSearchParams(request.rawBody)]
  if (!isTwilioSignature(authToken, signature, request.url, params)) {
    return { ok: false, reason: 'bad_signature', message: 'X-Twilio-Signature does not match the URL and parameters' }
  }
  const form = new Map(params)
  const sid = form.get('MessageSid')
  const status = form.get('MessageStatus')
  const reports: ProviderReport[] = []
  if (status !== undefined && status !== 'received') {
    if (!sid) return { ok: false, reason: 'malformed', message: 'a status callback without MessageSid' }
    if (status === 'delivered' || status === 'undelivered' || status === 'failed') {
      const report: ProviderReport = {
        kind: 'receipt',
        providerMessageId: sid,
        status: status === 'delivered' ? 'delivered' : 'failed',
        at: now,
      }
      const code = form.get('ErrorCode')
      if (code) report.code = code
      const message = form.get('ErrorMessage')
      if (message) report.message = message
      reports.push(report)
    }
  } else {
    const from = form.get('From')
    const body = form.get('Body')
    if (from === undefined || body === undefined)
      return { ok: false, reason: 'malformed', message: 'neither a status callback (MessageStatus) nor an inbound message (From, Body)' }
    reports.push({ kind: 'reply', from, text: body, at: now })
  }
  return { ok: true, reports, reply: TWIML }
}
