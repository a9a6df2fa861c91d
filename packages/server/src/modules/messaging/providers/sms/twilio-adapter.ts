import { Type, type Static } from '@sinclair/typebox'
import type { OutgoingMessage, ProviderAdapter, ProviderDeps, Reconciliation, SendOutcome } from '../provider-adapter.js'
import { callSignal, retryAfterMs, text, unansweredOutcome } from './sms-shared.js'
import { twilioCallback } from './twilio-callback.js'

/** A Twilio account sending SMS with the Programmable Messaging API (2010-04-01). */
export const TwilioConfig = Type.Object({
  accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
  authToken: Type.String({ minLength: 1 }),
  /** A sender number in E.164, or a Messaging Service SID (MG…). */
  from: Type.String({ minLength: 1 }),
  baseUrl: Type.String({ default: 'https://api.twilio.com' }),
  /** Our public callback URL for this account, given to Twilio as StatusCallback (and signed by Twilio with it). */
  statusCallbackUrl: Type.Optional(Type.String()),
})
export type TwilioConfig = Static<typeof TwilioConfig>

// Twilio's codes for a recipient or credentials that will not work on a retry.
// 21211 invalid To, 21610 unsubscribed (STOP), 21614 not a mobile number, 20003 authentication failed.
const PERMANENT_CODES = new Set(['21211', '21610', '21614', '20003', '21408', '21612', '21617'])

/**
 * Written with `deps.fetch`: the `twilio` package fixes its base URL to https://api.twilio.com
 * (only edge and region can change the host), so it cannot reach a proxy or a local test server.
 * Twilio documents no idempotency for creating a message, so a retried send can go out twice;
 * `reconcile` looks for the message among the number's messages since the attempt.
 */
export const twilioAdapter: ProviderAdapter<TwilioConfig> = {
  kind: 'twilio',
  configSchema: TwilioConfig,
  secretFields: ['authToken'],
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    if (message.content.channel !== 'sms')
      return { status: 'permanent', code: 'wrong_channel', message: `an SMS account cannot send ${message.content.channel}` }
    const { config } = account
    const form = new URLSearchParams({ To: message.to })
    form.set(config.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', config.from)
    form.set('Body', message.content.text)
    if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl)
    const answer = await twilioCall(config, `/2010-04-01/Accounts/${config.accountSid}/Messages.json`, deps, form)
    if (answer.kind === 'unanswered') return answer.outcome
    if (answer.status === 201 || answer.status === 200)
      return { status: 'sent', providerMessageId: text(answer.json, 'sid') ?? null, response: answer.json }
    return failureOutcome(answer, deps.clock.now())
  },

  // GET the Account resource: proves the SID, the token and the base URL; changes nothing.
  async testConnection(account, deps) {
    const answer = await twilioCall(account.config, `/2010-04-01/Accounts/${account.config.accountSid}.json`, deps)
    if (answer.kind === 'unanswered') return { ok: false, code: answer.outcome.code, message: answer.outcome.message }
    if (answer.status !== 200) {
      return {
        ok: false,
        code: text(answer.json, 'code') ?? `http_${answer.status}`,
        message: text(answer.json, 'message') ?? answer.raw.slice(0, 300),
      }
    }
    const status = text(answer.json, 'status')
    if (status !== 'active') return { ok: false, code: `account_${status}`, message: `the Twilio account is ${status}` }
    return { ok: true, detail: `Twilio account "${text(answer.json, 'friendly_name')}" is active` }
  },

  async callback(account, request, deps) {
    return twilioCallback(account.config.authToken, request, deps.clock.now())
  },

  async reconcile(account, message, sentAfter, deps) {
    return reconcileByBody(account.config, message, sentAfter, deps)
  },
}

type TwilioAnswer =
  | { kind: 'answered'; status: number; json: unknown; raw: string; retryAfter: string | null }
  | { kind: 'unanswered'; outcome: Extract<SendOutcome, { status: 'retryable' }> }

async function twilioCall(config: TwilioConfig, path: string, deps: ProviderDeps, form?: URLSearchParams): Promise<TwilioAnswer> {
  const headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
    Accept: 'application/json',
  }
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded'
  try {
    const response = await deps.fetch(new URL(path, config.baseUrl), {
      method: form ? 'POST' : 'GET',
      headers,
      body: form?.toString(),
      signal: callSignal(deps),
    })
    const raw = await response.text()
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      json = undefined
    }
    return { kind: 'answered', status: response.status, json, raw, retryAfter: response.headers.get('retry-after') }
  } catch (error) {
    return { kind: 'unanswered', outcome: unansweredOutcome(error) }
  }
}

function failureOutcome(answer: Extract<TwilioAnswer, { kind: 'answered' }>, now: Date): SendOutcome {
  const code = text(answer.json, 'code') ?? `http_${answer.status}`
  const message = text(answer.json, 'message') ?? answer.raw.slice(0, 500)
  const response = answer.json ?? answer.raw
  if (PERMANENT_CODES.has(code) || (answer.status < 500 && answer.status !== 429 && code !== '20429'))
    return { status: 'permanent', code, message, response }
  const outcome: SendOutcome = { status: 'retryable', code, message, response }
  const wait = retryAfterMs(answer.retryAfter, now)
  if (wait !== undefined) outcome.retryAfterMs = wait
  return outcome
}

/**
 * Lists the messages to the number created since the attempt's day (Twilio filters by UTC date)
 * and looks for one created after `sentAfter` with the same body. Twilio lists a message as soon
 * as it is created, so none means it never was.
 */
async function reconcileByBody(
  config: TwilioConfig,
  message: OutgoingMessage,
  sentAfter: Date,
  deps: ProviderDeps,
): Promise<Reconciliation> {
  if (message.content.channel !== 'sms') return { found: 'unknown', reason: 'not an SMS' }
  const query = new URLSearchParams({ To: message.to, 'DateSent>': sentAfter.toISOString().slice(0, 10), PageSize: '100' })
  const answer = await twilioCall(config, `/2010-04-01/Accounts/${config.accountSid}/Messages.json?${query.toString()}`, deps)
  if (answer.kind === 'unanswered') return { found: 'unknown', reason: `listing messages failed: ${answer.outcome.message}` }
  if (answer.status !== 200) return { found: 'unknown', reason: `listing messages answered HTTP ${answer.status}` }
  const messages = ((answer.json as { messages?: unknown[] } | undefined)?.messages ?? []) as unknown[]
  const body = message.content.text
  const ours = messages.find(
    (m) => text(m, 'body') === body && Date.parse(text(m, 'date_created') ?? '') >= Math.floor(sentAfter.getTime() / 1000) * 1000,
  )
  if (ours) return { found: 'sent', providerMessageId: text(ours, 'sid') ?? null }
  if (text(answer.json, 'next_page_uri')) return { found: 'unknown', reason: 'more than 100 messages to this number since the attempt' }
  return { found: 'not_sent' }
}
