import { ManualClock } from '@reachloop/domain'
import { afterEach, describe, expect, it } from 'vitest'
import {
  startRecordingServer,
  type CannedReply,
  type RecordedRequest,
  type RecordingServer,
} from '../../../../test-support/recording-server.js'
import type { OutgoingMessage } from '../provider-adapter.js'
import { callbackRequest, encryptLikeWechat, MP_SAMPLE, sha1OfSorted, split, testDeps } from './wechat-callback-generators.js'
import { wechatOfficialAdapter, type WechatOfficialConfig } from './wechat-official-adapter.js'

const message: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1-key',
  to: 'oia2TjuEGTNoeX76QEjQNrcURxG8',
  content: {
    channel: 'wechat',
    templateId: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
    data: { keyword1: { value: '巧克力' }, keyword2: { value: '39.8元' } },
    url: 'https://shop.example/orders/1',
    miniprogram: { appid: 'wxmini123', pagepath: 'pages/order?id=1' },
  },
}

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A WeChat stand-in: the token endpoint answers a token numbered by call, the rest `answer`. */
async function wechat(answer: (request: RecordedRequest, index: number) => CannedReply) {
  let tokens = 0
  server = await startRecordingServer((request, index) => {
    if (split(request.url).path === '/cgi-bin/stable_token') return { body: { access_token: `TOKEN-${++tokens}`, expires_in: 7200 } }
    return answer(request, index)
  })
  const config: WechatOfficialConfig = {
    appId: 'wx2c2769f8efd9abc2',
    appSecret: 'app-secret',
    baseUrl: server.url,
    callbackToken: 'spamtest',
  }
  return { server, account: { id: 'acc-1', config } }
}

describe('wechatOfficialAdapter.send', () => {
  it('fetches a stable token, then posts the template message with client_msg_id, and reads the msgid', async () => {
    const { server, account } = await wechat(() => ({ body: { errcode: 0, errmsg: 'ok', msgid: 200228332 } }))
    const outcome = await wechatOfficialAdapter.send(account, message, testDeps())
    expect(outcome).toEqual({ status: 'sent', providerMessageId: '200228332', response: { errcode: 0, errmsg: 'ok', msgid: '200228332' } })
    const [token, send] = server.requests
    expect(token?.method).toBe('POST')
    expect(token?.url).toBe('/cgi-bin/stable_token')
    expect(token?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(token?.body ?? '')).toEqual({
      grant_type: 'client_credential',
      appid: 'wx2c2769f8efd9abc2',
      secret: 'app-secret',
      force_refresh: false,
    })
    expect(send?.method).toBe('POST')
    expect(split(send?.url ?? '')).toEqual({ path: '/cgi-bin/message/template/send', query: { access_token: 'TOKEN-1' } })
    expect(send?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(send?.body ?? '')).toEqual({
      touser: 'oia2TjuEGTNoeX76QEjQNrcURxG8',
      template_id: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
      url: 'https://shop.example/orders/1',
      miniprogram: { appid: 'wxmini123', pagepath: 'pages/order?id=1' },
      client_msg_id: 'msg-1-key',
      data: { keyword1: { value: '巧克力' }, keyword2: { value: '39.8元' } },
    })
  })

  it('keeps a message id beyond 2^53 exact', async () => {
    const { account } = await wechat(() => ({ body: '{"errcode":0,"errmsg":"ok","msgid":3170931669364113411}' }))
    const outcome = await wechatOfficialAdapter.send(account, message, testDeps())
    expect(outcome.status === 'sent' && outcome.providerMessageId).toBe('3170931669364113411')
  })

  it('reuses the cached token for the next message', async () => {
    const { server, account } = await wechat(() => ({ body: { errcode: 0, msgid: 1 } }))
    const deps = testDeps()
    await wechatOfficialAdapter.send(account, message, deps)
    await wechatOfficialAdapter.send(account, message, deps)
    expect(server.requests.map((r) => split(r.url).path)).toEqual([
      '/cgi-bin/stable_token',
      '/cgi-bin/message/template/send',
      '/cgi-bin/message/template/send',
    ])
  })

  it('on 40001 drops the token, fetches a fresh one and sends once more', async () => {
    const { server, account } = await wechat((request) =>
      split(request.url).query.access_token === 'TOKEN-1'
        ? { body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } }
        : { body: { errcode: 0, errmsg: 'ok', msgid: 42 } },
    )
    const outcome = await wechatOfficialAdapter.send(account, message, testDeps())
    expect(outcome.status === 'sent' && outcome.providerMessageId).toBe('42')
    const afterFirstToken = server.requests.slice(1).map((r) => `${r.method} ${r.url}`)
    expect(afterFirstToken).toEqual([
      'POST /cgi-bin/message/template/send?access_token=TOKEN-1',
      'POST /cgi-bin/stable_token',
      'POST /cgi-bin/message/template/send?access_token=TOKEN-2',
    ])
  })

  it('retries the token only once: a second 42001 is retryable for later', async () => {
    const { server, account } = await wechat(() => ({ body: { errcode: 42001, errmsg: 'access_token expired' } }))
    const outcome = await wechatOfficialAdapter.send(account, message, testDeps())
    expect(outcome).toMatchObject({ status: 'retryable', code: '42001', message: 'access_token expired' })
    expect(server.requests).toHaveLength(4)
  })

  it('maps system busy to retryable', async () => {
    const { account } = await wechat(() => ({ body: { errcode: -1, errmsg: 'system error' } }))
    expect(await wechatOfficialAdapter.send(account, message, testDeps())).toMatchObject({
      status: 'retryable',
      code: '-1',
      message: 'system error',
    })
  })

  it('retries the daily quota (45009) after midnight in Beijing', async () => {
    const clock = new ManualClock(new Date('2026-03-01T15:30:00Z')) // 23:30 in Beijing
    const { account } = await wechat(() => ({ body: { errcode: 45009, errmsg: 'reach max api daily quota limit' } }))
    expect(await wechatOfficialAdapter.send(account, message, testDeps(clock))).toMatchObject({
      status: 'retryable',
      code: '45009',
      retryAfterMs: 30 * 60_000,
    })
  })

  it.each([
    [40003, 'invalid openid'],
    [43004, 'require subscribe'],
    [40037, 'invalid template_id'],
    [47003, 'argument invalid! data.keyword1.value invalid'],
  ])('maps errcode %i to permanent', async (errcode, errmsg) => {
    const { account } = await wechat(() => ({ body: { errcode, errmsg } }))
    expect(await wechatOfficialAdapter.send(account, message, testDeps())).toEqual({
      status: 'permanent',
      code: String(errcode),
      message: errmsg,
      response: { errcode, errmsg },
    })
  })

  it('maps a 503 to retryable and honours Retry-After', async () => {
    const { account } = await wechat(() => ({ status: 503, headers: { 'retry-after': '7' }, body: 'upstream down' }))
    expect(await wechatOfficialAdapter.send(account, message, testDeps())).toEqual({
      status: 'retryable',
      code: 'http_503',
      message: 'upstream down',
      retryAfterMs: 7000,
    })
  })

  it('maps a refused token (wrong secret) to permanent without sending', async () => {
    server = await startRecordingServer(() => ({ body: { errcode: 40125, errmsg: 'invalid appsecret' } }))
    const account = { id: 'a', config: { appId: 'wx1', appSecret: 'wrong', baseUrl: server.url } }
    expect(await wechatOfficialAdapter.send(account, message, testDeps())).toMatchObject({ status: 'permanent', code: '40125' })
    expect(server.requests).toHaveLength(1)
  })

  it('maps a timeout (the pipeline’s abort signal) to retryable', async () => {
    const { account } = await wechat(() => ({ delayMs: 2000, body: { errcode: 0, msgid: 1 } }))
    const outcome = await wechatOfficialAdapter.send(account, message, testDeps(undefined, { signal: AbortSignal.timeout(100) }))
    expect(outcome).toMatchObject({ status: 'retryable', code: 'timeout' })
  })

  it('maps an unreachable server to retryable', async () => {
    const account = { id: 'a', config: { appId: 'wx1', appSecret: 's', baseUrl: 'http://127.0.0.1:1' } }
    expect(await wechatOfficialAdapter.send(account, message, testDeps())).toMatchObject({ status: 'retryable', code: 'network' })
  })
})

describe('wechatOfficialAdapter.testConnection', () => {
  it('fetches a token and reads the API domain addresses with it', async () => {
    const { server, account } = await wechat(() => ({ body: { ip_list: ['101.226.90.58', '101.226.90.59'] } }))
    expect(await wechatOfficialAdapter.testConnection(account, testDeps())).toEqual({
      ok: true,
      detail: 'access token fetched for wx2c2769f8efd9abc2; the API domain resolves to 2 addresses',
    })
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /cgi-bin/stable_token',
      'GET /cgi-bin/get_api_domain_ip?access_token=TOKEN-1',
    ])
  })

  it('reports a refused secret', async () => {
    server = await startRecordingServer(() => ({ body: { errcode: 40013, errmsg: 'invalid appid' } }))
    const account = { id: 'a', config: { appId: 'nope', appSecret: 's', baseUrl: server.url } }
    expect(await wechatOfficialAdapter.testConnection(account, testDeps())).toEqual({ ok: false, code: '40013', message: 'invalid appid' })
  })
})

describe('wechatOfficialAdapter.callback', () => {
  const config: WechatOfficialConfig = { appId: MP_SAMPLE.appId, appSecret: 's', baseUrl: 'http://unused', callbackToken: MP_SAMPLE.token }
  const account = { id: 'acc-1', config }
  const signed = (timestamp: string, nonce: string) => ({ timestamp, nonce, signature: sha1OfSorted(MP_SAMPLE.token, timestamp, nonce) })

  it('answers the server-configuration check with echostr', async () => {
    const request = callbackRequest('GET', { ...signed('1409659589', '263014780'), echostr: '7418352786432' })
    expect(await wechatOfficialAdapter.callback?.(account, request, testDeps())).toEqual({
      ok: true,
      reports: [],
      reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: '7418352786432' },
    })
  })

  it('refuses a check whose signature was tampered with', async () => {
    const query = { ...signed('1409659589', '263014780'), echostr: '7418352786432' }
    const result = await wechatOfficialAdapter.callback?.(account, callbackRequest('GET', { ...query, nonce: '263014781' }), testDeps())
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  const finished = (status: string) =>
    '<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></FromUserName>' +
    `<CreateTime>1395658984</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>` +
    `<MsgID>200163840</MsgID><Status><![CDATA[${status}]]></Status></xml>`

  it('reads TEMPLATESENDJOBFINISH events as receipts and answers success', async () => {
    const at = new Date(1395658984 * 1000)
    const delivered = await wechatOfficialAdapter.callback?.(
      account,
      callbackRequest('POST', signed('1', '2'), finished('success')),
      testDeps(),
    )
    expect(delivered).toEqual({
      ok: true,
      reports: [{ kind: 'receipt', providerMessageId: '200163840', status: 'delivered', at }],
      reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' },
    })
    const blocked = await wechatOfficialAdapter.callback?.(
      account,
      callbackRequest('POST', signed('1', '2'), finished('failed:user block')),
      testDeps(),
    )
    expect(blocked?.ok && blocked.reports).toEqual([
      {
        kind: 'receipt',
        providerMessageId: '200163840',
        status: 'failed',
        at,
        code: 'failed:user block',
        message: 'the user refuses template messages from this account',
      },
    ])
    const system = await wechatOfficialAdapter.callback?.(
      account,
      callbackRequest('POST', signed('1', '2'), finished('failed: system failed')),
      testDeps(),
    )
    expect(system?.ok && system.reports[0]).toMatchObject({ status: 'failed', code: 'failed: system failed' })
  })

  it('refuses an event whose body is not XML', async () => {
    const result = await wechatOfficialAdapter.callback?.(
      account,
      callbackRequest('POST', signed('1', '2'), '<xml><a>1</b></xml>'),
      testDeps(),
    )
    expect(result).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('decrypts the published safe-mode sample message (a text reply) with its msg_signature', async () => {
    const query = { ...signed(MP_SAMPLE.timestamp, MP_SAMPLE.nonce), encrypt_type: 'aes', msg_signature: MP_SAMPLE.msgSignature }
    const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${MP_SAMPLE.encrypt}]]></Encrypt></xml>`
    const result = await wechatOfficialAdapter.callback?.(
      { id: 'a', config: { ...config, encodingAesKey: MP_SAMPLE.aesKey } },
      callbackRequest('POST', query, body),
      testDeps(),
    )
    expect(result?.ok && result.reports).toEqual([
      { kind: 'reply', from: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', text: 'abcdteT', at: new Date(1409735668 * 1000) },
    ])
  })

  it('refuses a safe-mode message encrypted for another AppID, or with a tampered msg_signature', async () => {
    const withKey = { id: 'a', config: { ...config, encodingAesKey: MP_SAMPLE.aesKey } }
    const encrypt = encryptLikeWechat(MP_SAMPLE.aesKey, finished('success'), 'wxSOMEONEELSE')
    const body = `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
    const query = { ...signed('1', '2'), encrypt_type: 'aes', msg_signature: sha1OfSorted(MP_SAMPLE.token, '1', '2', encrypt) }
    expect(await wechatOfficialAdapter.callback?.(withKey, callbackRequest('POST', query, body), testDeps())).toMatchObject({
      ok: false,
      reason: 'bad_signature',
      message: `encrypted for wxSOMEONEELSE, not ${MP_SAMPLE.appId}`,
    })
    const tampered = { ...query, msg_signature: sha1OfSorted(MP_SAMPLE.token, '1', '3', encrypt) }
    expect(await wechatOfficialAdapter.callback?.(withKey, callbackRequest('POST', tampered, body), testDeps())).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('reads a receipt from an encrypted event', async () => {
    const withKey = { id: 'a', config: { ...config, encodingAesKey: MP_SAMPLE.aesKey } }
    const encrypt = encryptLikeWechat(MP_SAMPLE.aesKey, finished('success'), MP_SAMPLE.appId)
    const query = { ...signed('1', '2'), encrypt_type: 'aes', msg_signature: sha1OfSorted(MP_SAMPLE.token, '1', '2', encrypt) }
    const result = await wechatOfficialAdapter.callback?.(
      withKey,
      callbackRequest('POST', query, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`),
      testDeps(),
    )
    expect(result?.ok && result.reports).toEqual([
      { kind: 'receipt', providerMessageId: '200163840', status: 'delivered', at: new Date(1395658984 * 1000) },
    ])
  })
})
