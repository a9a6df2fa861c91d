import { afterEach, describe, expect, it } from 'vitest'
import {
  startRecordingServer,
  type CannedReply,
  type RecordedRequest,
  type RecordingServer,
} from '../../../../test-support/recording-server.js'
import type { OutgoingMessage } from '../provider-adapter.js'
import { split, testDeps } from './wechat-callback-generators.js'
import { wechatMiniprogramAdapter } from './wechat-miniprogram-adapter.js'

const message: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1-key',
  to: 'oVb5x5Bx4pH7mZ0Ghm2r0v2SXPdE',
  content: {
    channel: 'miniprogram',
    templateId: 'TEMPLATE_ID',
    data: { thing1: { value: '339208499' }, time2: { value: '2026年1月1日' } },
    page: 'pages/order/detail?id=1',
    state: 'trial',
    lang: 'zh_CN',
  },
}

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function miniprogram(answer: (request: RecordedRequest) => CannedReply) {
  let tokens = 0
  server = await startRecordingServer((request) => {
    if (split(request.url).path === '/cgi-bin/stable_token') return { body: { access_token: `TOKEN-${++tokens}`, expires_in: 7200 } }
    return answer(request)
  })
  return { server, account: { id: 'acc-1', config: { appId: 'wxmini123', appSecret: 'mini-secret', baseUrl: server.url } } }
}

describe('wechatMiniprogramAdapter.send', () => {
  it('posts the subscription message with the stable token and reads the msgid', async () => {
    const { server, account } = await miniprogram(() => ({ body: '{"errcode":0,"errmsg":"ok","msgid":2837409834017193985}' }))
    const outcome = await wechatMiniprogramAdapter.send(account, message, testDeps())
    expect(outcome.status === 'sent' && outcome.providerMessageId).toBe('2837409834017193985')
    const [token, send] = server.requests
    expect(token?.method).toBe('POST')
    expect(JSON.parse(token?.body ?? '')).toEqual({
      grant_type: 'client_credential',
      appid: 'wxmini123',
      secret: 'mini-secret',
      force_refresh: false,
    })
    expect(send?.method).toBe('POST')
    expect(split(send?.url ?? '')).toEqual({ path: '/cgi-bin/message/subscribe/send', query: { access_token: 'TOKEN-1' } })
    expect(send?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(send?.body ?? '')).toEqual({
      touser: 'oVb5x5Bx4pH7mZ0Ghm2r0v2SXPdE',
      template_id: 'TEMPLATE_ID',
      page: 'pages/order/detail?id=1',
      data: { thing1: { value: '339208499' }, time2: { value: '2026年1月1日' } },
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    })
  })

  it('leaves out the page, state and language it was not given', async () => {
    const { server, account } = await miniprogram(() => ({ body: { errcode: 0, msgid: 1 } }))
    const bare: OutgoingMessage = { ...message, content: { channel: 'miniprogram', templateId: 'T', data: {} } }
    await wechatMiniprogramAdapter.send(account, bare, testDeps())
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({ touser: message.to, template_id: 'T', data: {} })
  })

  it('refreshes an expired token once (42001) and sends again', async () => {
    const { server, account } = await miniprogram((request) =>
      split(request.url).query.access_token === 'TOKEN-1'
        ? { body: { errcode: 42001, errmsg: 'access_token expired' } }
        : { body: { errcode: 0, msgid: 7 } },
    )
    const outcome = await wechatMiniprogramAdapter.send(account, message, testDeps())
    expect(outcome.status).toBe('sent')
    expect(server.requests.slice(1).map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /cgi-bin/message/subscribe/send?access_token=TOKEN-1',
      'POST /cgi-bin/stable_token',
      'POST /cgi-bin/message/subscribe/send?access_token=TOKEN-2',
    ])
  })

  it.each([
    [43101, 'user refuse to accept the msg'],
    [47003, 'argument invalid! data.thing1.value invalid'],
  ])('maps errcode %i to permanent', async (errcode, errmsg) => {
    const { account } = await miniprogram(() => ({ body: { errcode, errmsg } }))
    expect(await wechatMiniprogramAdapter.send(account, message, testDeps())).toEqual({
      status: 'permanent',
      code: String(errcode),
      message: errmsg,
      response: { errcode, errmsg },
    })
  })

  it.each([
    [-1, 'system error'],
    [45009, 'reach max api daily quota limit'],
  ])('maps errcode %i to retryable', async (errcode, errmsg) => {
    const { account } = await miniprogram(() => ({ body: { errcode, errmsg } }))
    expect(await wechatMiniprogramAdapter.send(account, message, testDeps())).toMatchObject({
      status: 'retryable',
      code: String(errcode),
      message: errmsg,
    })
  })
})

describe('wechatMiniprogramAdapter.testConnection', () => {
  it('fetches a stable token', async () => {
    const { server, account } = await miniprogram(() => ({ body: {} }))
    expect(await wechatMiniprogramAdapter.testConnection(account, testDeps())).toEqual({
      ok: true,
      detail: 'access token fetched for wxmini123',
    })
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /cgi-bin/stable_token'])
  })

  it('reports an IP outside the whitelist', async () => {
    server = await startRecordingServer(() => ({ body: { errcode: 40164, errmsg: 'invalid ip 1.2.3.4, not in whitelist' } }))
    const account = { id: 'a', config: { appId: 'wxmini123', appSecret: 's', baseUrl: server.url } }
    expect(await wechatMiniprogramAdapter.testConnection(account, testDeps())).toEqual({
      ok: false,
      code: '40164',
      message: 'invalid ip 1.2.3.4, not in whitelist',
    })
  })
})
