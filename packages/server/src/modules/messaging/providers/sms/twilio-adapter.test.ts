import { ManualClock } from '@reachloop/domain'
import { afterEach, describe, expect, it } from 'vitest'
import {
  startRecordingServer,
  type CannedReply,
  type RecordedRequest,
  type RecordingServer,
} from '../../../../test-support/recording-server.js'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { twilioAdapter, type TwilioConfig } from './twilio-adapter.js'

const SID = 'AC0123456789abcdef0123456789abcdef'
let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})
const clock = new ManualClock(new Date('2026-03-02T02:30:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
async function accountAnswering(reply: (request: RecordedRequest) => CannedReply, extra: Partial<TwilioConfig> = {}) {
  server = await startRecordingServer(reply)
  const config: TwilioConfig = { accountSid: SID, authToken: 'auth-token', from: '+15005550006', baseUrl: server.url, ...extra }
  return { id: 'acc_1', config }
}
const message: OutgoingMessage = {
  messageId: 'msg_1',
  idempotencyKey: 'idem-123',
  to: '+14155550100',
  content: { channel: 'sms', templateCode: '', params: [], signName: '', text: 'Your code is 1234 & expires in 5 min' },
}
const basic = `Basic ${Buffer.from(`${SID}:auth-token`).toString('base64')}`
const twilioError = (status: number, code: number, text: string): CannedReply => ({
  status,
  body: { code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
})

describe('twilioAdapter.send', () => {
  it('posts To, From, Body and StatusCallback form-encoded with HTTP Basic auth', async () => {
    const account = await accountAnswering(() => ({ status: 201, body: { sid: 'SM0123', status: 'queued' } }), {
      statusCallbackUrl: 'https://reach.example.com/callbacks/acc_1',
    })
    expect(await twilioAdapter.send(account, message, deps)).toMatchObject({ status: 'sent', providerMessageId: 'SM0123' })
    const request = server?.requests[0] as RecordedRequest
    expect(request.method).toBe('POST')
    expect(request.url).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`)
    expect(request.headers).toMatchObject({ authorization: basic, 'content-type': 'application/x-www-form-urlencoded' })
    expect(request.body).toBe(
      'To=%2B14155550100&From=%2B15005550006&Body=Your+code+is+1234+%26+expires+in+5+min&StatusCallback=https%3A%2F%2Freach.example.com%2Fcallbacks%2Facc_1',
    )
  })

  it('sends through a Messaging Service when `from` is an MG… SID', async () => {
    const account = await accountAnswering(() => ({ status: 201, body: { sid: 'SM1' } }), { from: 'MG0123456789abcdef0123456789abcdef' })
    await twilioAdapter.send(account, message, deps)
    expect(Object.fromEntries(new URLSearchParams(server?.requests[0]?.body))).toEqual({
      To: '+14155550100',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: message.content.channel === 'sms' ? message.content.text : '',
    })
  })

  it('retries 429 after its Retry-After, and 5xx', async () => {
    const replies = [
      { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '3' } },
      twilioError(503, 20500, 'Service unavailable'),
    ]
    const account = await accountAnswering(() => replies[(server?.requests.length ?? 1) - 1] ?? {})
    expect(await twilioAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: '20429', retryAfterMs: 3000 })
    expect(await twilioAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: '20500' })
  })

  it('gives up on an invalid, unsubscribed or non-mobile number and on refused credentials', async () => {
    const replies = [
      twilioError(400, 21211, "The 'To' number +1415 is not a valid phone number."),
      twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
      twilioError(400, 21614, "'To' number is not a valid mobile number"),
      twilioError(401, 20003, 'Authenticate'),
    ]
    const account = await accountAnswering(() => replies[(server?.requests.length ?? 1) - 1] ?? {})
    for (const code of ['21211', '21610', '21614', '20003']) {
      expect(await twilioAdapter.send(account, message, deps)).toMatchObject({ status: 'permanent', code })
    }
  })

  it('retries when nothing answers', async () => {
    const account = await accountAnswering(() => ({}))
    await server?.close()
    expect(await twilioAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: 'ECONNREFUSED' })
  })
})

describe('twilioAdapter.testConnection', () => {
  it('fetches the Account resource', async () => {
    const account = await accountAnswering(() => ({ body: { sid: SID, friendly_name: 'Reachloop', status: 'active' } }))
    expect(await twilioAdapter.testConnection(account, deps)).toEqual({ ok: true, detail: 'Twilio account "Reachloop" is active' })
    expect(server?.requests[0]).toMatchObject({ method: 'GET', url: `/2010-04-01/Accounts/${SID}.json`, headers: { authorization: basic } })
  })

  it('reports refused credentials and a suspended account', async () => {
    const replies = [twilioError(401, 20003, 'Authenticate'), { body: { sid: SID, friendly_name: 'x', status: 'suspended' } }]
    const account = await accountAnswering(() => replies[(server?.requests.length ?? 1) - 1] ?? {})
    expect(await twilioAdapter.testConnection(account, deps)).toEqual({ ok: false, code: '20003', message: 'Authenticate' })
    expect(await twilioAdapter.testConnection(account, deps)).toMatchObject({ ok: false, code: 'account_suspended' })
  })
})

describe('twilioAdapter.reconcile', () => {
  const listing = (messages: Array<{ sid: string; body: string; date_created: string }>) => ({ body: { messages, next_page_uri: null } })

  it('finds a message with the same body to the number created since the attempt', async () => {
    const body = message.content.channel === 'sms' ? message.content.text : ''
    const account = await accountAnswering(() =>
      listing([
        { sid: 'SMold', body, date_created: 'Mon, 02 Mar 2026 01:00:00 +0000' },
        { sid: 'SMours', body, date_created: 'Mon, 02 Mar 2026 02:20:01 +0000' },
      ]),
    )
    expect(await twilioAdapter.reconcile?.(account, message, new Date('2026-03-02T02:20:00.500Z'), deps)).toEqual({
      found: 'sent',
      providerMessageId: 'SMours',
    })
    expect(server?.requests[0]?.url).toBe(`/2010-04-01/Accounts/${SID}/Messages.json?To=%2B14155550100&DateSent%3E=2026-03-02&PageSize=100`)
  })

  it('says not sent when no such message exists', async () => {
    const account = await accountAnswering(() =>
      listing([{ sid: 'SMx', body: 'another text', date_created: 'Mon, 02 Mar 2026 02:21:00 +0000' }]),
    )
    expect(await twilioAdapter.reconcile?.(account, message, new Date('2026-03-02T02:20:00Z'), deps)).toEqual({ found: 'not_sent' })
  })
})
