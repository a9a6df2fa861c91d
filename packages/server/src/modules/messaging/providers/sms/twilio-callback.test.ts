import { createHmac } from 'node:crypto'
import { ManualClock } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { CallbackRequest, ProviderDeps } from '../provider-adapter.js'
import { twilioAdapter, type TwilioConfig } from './twilio-adapter.js'
import { twilioSignature } from './twilio-signature.js'

const clock = new ManualClock(new Date('2026-03-02T02:30:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
const config: TwilioConfig = {
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'auth-token',
  from: '+15005550006',
  baseUrl: 'https://api.twilio.com',
}
const account = { id: 'acc_1', config }
const URL_CALLED = 'https://reach.example.com/callbacks/acc_1?kind=sms'

// The signature recomputed here from Twilio's documented steps, independently of twilioSignature.
function signed(params: Record<string, string>, url = URL_CALLED): CallbackRequest {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('')
  const signature = createHmac('sha1', 'auth-token').update(data).digest('base64')
  return {
    method: 'POST',
    headers: { 'x-twilio-signature': signature },
    query: { kind: 'sms' },
    rawBody: new URLSearchParams(params).toString(),
    url,
  }
}
const callback = (request: CallbackRequest) => twilioAdapter.callback?.(account, request, deps)

describe('twilioSignature', () => {
  it("reproduces Twilio's published request-validation example (auth token 12345)", () => {
    const params: Array<[string, string]> = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+14158675310'],
      ['Digits', '1234'],
      ['From', '+14158675310'],
      ['To', '+18005551212'],
    ]
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=')
  })
})

describe('twilioAdapter.callback', () => {
  it('reads a delivered status callback and answers empty TwiML', async () => {
    const result = await callback(
      signed({
        MessageSid: 'SM0123',
        MessageStatus: 'delivered',
        AccountSid: config.accountSid,
        To: '+14155550100',
        SmsStatus: 'delivered',
      }),
    )
    expect(result).toEqual({
      ok: true,
      reports: [{ kind: 'receipt', providerMessageId: 'SM0123', status: 'delivered', at: clock.now() }],
      reply: { status: 200, contentType: 'text/xml', body: '<Response></Response>' },
    })
  })

  it('reads undelivered and failed as failed, with the ErrorCode, and ignores steps on the way', async () => {
    expect(await callback(signed({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' }))).toMatchObject({
      reports: [{ kind: 'receipt', providerMessageId: 'SM1', status: 'failed', code: '30003' }],
    })
    expect(await callback(signed({ MessageSid: 'SM2', MessageStatus: 'failed', ErrorCode: '30008' }))).toMatchObject({
      reports: [{ status: 'failed', code: '30008' }],
    })
    expect(await callback(signed({ MessageSid: 'SM3', MessageStatus: 'sent' }))).toMatchObject({ ok: true, reports: [] })
  })

  it('reads an inbound message as a reply', async () => {
    const result = await callback(
      signed({ MessageSid: 'SM9', SmsStatus: 'received', From: '+14155550100', To: '+15005550006', Body: 'STOP please' }),
    )
    expect(result).toMatchObject({ ok: true, reports: [{ kind: 'reply', from: '+14155550100', text: 'STOP please', at: clock.now() }] })
  })

  it('accepts the URL with the default port written out', async () => {
    const request = signed({ MessageSid: 'SM1', MessageStatus: 'delivered' }, 'https://reach.example.com:443/callbacks/acc_1?kind=sms')
    expect(await callback({ ...request, url: URL_CALLED })).toMatchObject({ ok: true })
  })

  it('refuses a tampered parameter, another URL, another token or no signature', async () => {
    const request = signed({ MessageSid: 'SM1', MessageStatus: 'delivered' })
    expect(await callback({ ...request, rawBody: 'MessageSid=SM1&MessageStatus=failed' })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
    expect(await callback({ ...request, url: 'https://reach.example.com/callbacks/acc_2?kind=sms' })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
    const other = { ...account, config: { ...config, authToken: 'other-token' } }
    expect(await twilioAdapter.callback?.(other, request, deps)).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(await callback({ ...request, headers: {} })).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('calls a signed request that is neither a status nor a message malformed', async () => {
    expect(await callback(signed({ AccountSid: config.accountSid }))).toMatchObject({ ok: false, reason: 'malformed' })
  })
})
