import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  startRecordingServer,
  type CannedReply,
  type RecordedRequest,
  type RecordingServer,
} from '../../../../test-support/recording-server.js'
import type { OutgoingMessage } from '../provider-adapter.js'
import { memoryTokenCache } from '../memory-token-cache.js'
import { split, testDeps } from './wechat-callback-generators.js'
import { wecomAdapter } from './wecom-adapter.js'
import type { WecomConfig } from './wecom-config.js'

const appMessage: OutgoingMessage = {
  messageId: 'msg-1',
  idempotencyKey: 'msg-1-key',
  to: 'ZhangSan',
  content: { channel: 'wecom', kind: 'app', text: '你的快递已到，请携带工卡前往邮件中心领取。' },
}

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A WeCom stand-in: gettoken answers a token named after the secret and numbered, the rest `answer`. */
async function wecom(answer: (request: RecordedRequest) => CannedReply, extra: Partial<WecomConfig> = {}) {
  let tokens = 0
  server = await startRecordingServer((request) => {
    const { path, query } = split(request.url)
    if (path === '/cgi-bin/gettoken')
      return { body: { errcode: 0, errmsg: 'ok', access_token: `${query.corpsecret}-TOKEN-${++tokens}`, expires_in: 7200 } }
    return answer(request)
  })
  const config: WecomConfig = {
    corpId: 'ww1436e0e65a779aee',
    agentId: 1000002,
    secret: 'app',
    baseUrl: server.url,
    duplicateCheckIntervalSeconds: 1800,
    ...extra,
  }
  return { server, account: { id: 'acc-1', config } }
}

describe('wecomAdapter.send (application message)', () => {
  it('gets a token with gettoken, then posts a text message with the duplicate check on', async () => {
    const { server, account } = await wecom(() => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: 'xhnaoSJ-msgid' } }))
    const outcome = await wecomAdapter.send(account, appMessage, testDeps())
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: 'xhnaoSJ-msgid' })
    const [token, send] = server.requests
    expect(token?.method).toBe('GET')
    expect(split(token?.url ?? '')).toEqual({ path: '/cgi-bin/gettoken', query: { corpid: 'ww1436e0e65a779aee', corpsecret: 'app' } })
    expect(send?.method).toBe('POST')
    expect(split(send?.url ?? '')).toEqual({ path: '/cgi-bin/message/send', query: { access_token: 'app-TOKEN-1' } })
    expect(send?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(send?.body ?? '')).toEqual({
      touser: 'ZhangSan',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: '你的快递已到，请携带工卡前往邮件中心领取。' },
      enable_duplicate_check: 1,
      duplicate_check_interval: 1800,
    })
  })

  it('shares the token under a key naming the corp, the agent and the secret', async () => {
    const { account } = await wecom(() => ({ body: { errcode: 0, msgid: 'm' } }))
    const tokens = memoryTokenCache(testDeps().clock)
    const seen: string[] = []
    await wecomAdapter.send(
      account,
      appMessage,
      testDeps(undefined, { tokens: { get: (key, f) => (seen.push(key), tokens.get(key, f)), invalidate: tokens.invalidate } }),
    )
    const fingerprint = createHash('sha256').update('app').digest('hex').slice(0, 12)
    expect(seen).toEqual([`wecom:ww1436e0e65a779aee:agent:1000002:${fingerprint}`])
  })

  it('on 40014 drops the token, fetches a fresh one and sends once more', async () => {
    const { server, account } = await wecom((request) =>
      split(request.url).query.access_token === 'app-TOKEN-1'
        ? { body: { errcode: 40014, errmsg: 'invalid access_token' } }
        : { body: { errcode: 0, msgid: 'm2' } },
    )
    expect(await wecomAdapter.send(account, appMessage, testDeps())).toMatchObject({ status: 'sent', providerMessageId: 'm2' })
    expect(server.requests.slice(1).map((r) => `${r.method} ${split(r.url).path} ${split(r.url).query.access_token ?? ''}`)).toEqual([
      'POST /cgi-bin/message/send app-TOKEN-1',
      'GET /cgi-bin/gettoken ',
      'POST /cgi-bin/message/send app-TOKEN-2',
    ])
  })

  it('maps a recipient listed in invaliduser (lower-cased by WeCom) to permanent', async () => {
    const { account } = await wecom(() => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: 'zhangsan', msgid: 'm' } }))
    expect(await wecomAdapter.send(account, appMessage, testDeps())).toMatchObject({ status: 'permanent', code: 'invaliduser' })
  })

  it('maps 81013 (no valid recipient) to permanent and 45009 / -1 to retryable', async () => {
    const cases: Array<[number, string]> = [
      [81013, 'permanent'],
      [45009, 'retryable'],
      [-1, 'retryable'],
    ]
    for (const [errcode, status] of cases) {
      const { account } = await wecom(() => ({ body: { errcode, errmsg: `errcode ${errcode}` } }))
      expect(await wecomAdapter.send(account, appMessage, testDeps())).toMatchObject({
        status,
        code: String(errcode),
        message: `errcode ${errcode}`,
      })
      await server?.close()
    }
    server = undefined
  })
})

describe('wecomAdapter.send (customer message)', () => {
  const customerMessage: OutgoingMessage = {
    messageId: 'msg-2',
    idempotencyKey: 'msg-2-key',
    to: 'wmqfasd1e1927831123109rBAAAA',
    content: { channel: 'wecom', kind: 'customer', text: '文本消息内容', sender: 'zhangsan' },
  }

  it('creates the single-customer task with the customer-contact secret and keeps msgid, sender and customer in the id', async () => {
    const { server, account } = await wecom(
      () => ({ body: { errcode: 0, errmsg: 'ok', fail_list: [], msgid: 'msgGCAAAXtWyujaWJHDDGi0mAAAA' } }),
      {
        contactSecret: 'contact',
      },
    )
    expect(await wecomAdapter.send(account, customerMessage, testDeps())).toMatchObject({
      status: 'sent',
      providerMessageId: 'msgGCAAAXtWyujaWJHDDGi0mAAAA|zhangsan|wmqfasd1e1927831123109rBAAAA',
    })
    const [token, send] = server.requests
    expect(split(token?.url ?? '').query).toEqual({ corpid: 'ww1436e0e65a779aee', corpsecret: 'contact' })
    expect(send?.method).toBe('POST')
    expect(split(send?.url ?? '')).toEqual({
      path: '/cgi-bin/externalcontact/add_msg_template',
      query: { access_token: 'contact-TOKEN-1' },
    })
    expect(JSON.parse(send?.body ?? '')).toEqual({
      chat_type: 'single',
      external_userid: ['wmqfasd1e1927831123109rBAAAA'],
      sender: 'zhangsan',
      text: { content: '文本消息内容' },
    })
  })

  it('uses the app secret when no customer-contact secret is configured', async () => {
    const { server, account } = await wecom(() => ({ body: { errcode: 0, fail_list: [], msgid: 'msgX' } }))
    await wecomAdapter.send(account, customerMessage, testDeps())
    expect(split(server.requests[0]?.url ?? '').query.corpsecret).toBe('app')
  })

  it('maps a customer in fail_list to permanent', async () => {
    const { account } = await wecom(() => ({
      body: { errcode: 0, errmsg: 'ok', fail_list: ['wmqfasd1e1927831123109rBAAAA'], msgid: 'msgX' },
    }))
    expect(await wecomAdapter.send(account, customerMessage, testDeps())).toMatchObject({ status: 'permanent', code: 'fail_list' })
  })

  it('refuses a customer message without a sender', async () => {
    const { server, account } = await wecom(() => ({ body: {} }))
    const noSender: OutgoingMessage = { ...customerMessage, content: { channel: 'wecom', kind: 'customer', text: 'x' } }
    expect(await wecomAdapter.send(account, noSender, testDeps())).toMatchObject({ status: 'permanent', code: 'no_sender' })
    expect(server.requests).toHaveLength(0)
  })
})

describe('wecomAdapter.fetchResult', () => {
  const id = 'msgGCAAAXtWyujaWJHDDGi0mAAAA|zhangsan|wmqfasd1e1927831123109rBAAAA'
  const row = (status: number) => ({ external_userid: 'wmqfasd1e1927831123109rBAAAA', userid: 'zhangsan', status, send_time: 1552536375 })

  it('asks get_groupmsg_send_result for the sender’s rows and reads the customer’s status', async () => {
    const expected: Array<[number, unknown]> = [
      [0, { status: 'pending' }],
      [1, { status: 'sent', providerMessageId: id }],
      [2, { status: 'permanent', code: 'send_status_2', message: 'the customer is not a contact of the sender' }],
      [3, { status: 'permanent', code: 'send_status_3', message: 'the customer has already received a mass message today' }],
    ]
    for (const [status, outcome] of expected) {
      const { server, account } = await wecom(() => ({ body: { errcode: 0, errmsg: 'ok', next_cursor: '', send_list: [row(status)] } }))
      expect(await wecomAdapter.fetchResult?.(account, id, testDeps())).toMatchObject(outcome as object)
      const query = server.requests[1]
      expect(query?.method).toBe('POST')
      expect(split(query?.url ?? '')).toEqual({
        path: '/cgi-bin/externalcontact/get_groupmsg_send_result',
        query: { access_token: 'app-TOKEN-1' },
      })
      expect(JSON.parse(query?.body ?? '')).toEqual({ msgid: 'msgGCAAAXtWyujaWJHDDGi0mAAAA', userid: 'zhangsan', limit: 1000 })
      await server.close()
    }
    server = undefined
  })

  it('follows next_cursor until the customer is listed', async () => {
    const { server, account } = await wecom((request) =>
      JSON.parse(request.body).cursor === 'PAGE2'
        ? { body: { errcode: 0, next_cursor: '', send_list: [row(1)] } }
        : { body: { errcode: 0, next_cursor: 'PAGE2', send_list: [{ ...row(1), external_userid: 'someone-else' }] } },
    )
    expect(await wecomAdapter.fetchResult?.(account, id, testDeps())).toMatchObject({ status: 'sent' })
    expect(JSON.parse(server.requests[2]?.body ?? '')).toEqual({
      msgid: 'msgGCAAAXtWyujaWJHDDGi0mAAAA',
      userid: 'zhangsan',
      limit: 1000,
      cursor: 'PAGE2',
    })
  })

  it('refuses an id that is not msgid|sender|external_userid', async () => {
    const { account } = await wecom(() => ({ body: {} }))
    expect(await wecomAdapter.fetchResult?.(account, 'just-a-msgid', testDeps())).toMatchObject({
      status: 'permanent',
      code: 'bad_provider_message_id',
    })
  })
})

describe('wecomAdapter.testConnection', () => {
  it('fetches a token and reads the app with agent/get', async () => {
    const { server, account } = await wecom(() => ({ body: { errcode: 0, errmsg: 'ok', agentid: 1000002, name: '通知助手' } }))
    expect(await wecomAdapter.testConnection(account, testDeps())).toEqual({
      ok: true,
      detail: 'WeCom app "通知助手" (agentid 1000002) of ww1436e0e65a779aee',
    })
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /cgi-bin/gettoken?corpid=ww1436e0e65a779aee&corpsecret=app',
      'GET /cgi-bin/agent/get?access_token=app-TOKEN-1&agentid=1000002',
    ])
  })

  it('checks the customer-contact secret too when one is configured', async () => {
    const { server, account } = await wecom(() => ({ body: { errcode: 0, name: 'App' } }), { contactSecret: 'contact' })
    expect(await wecomAdapter.testConnection(account, testDeps())).toMatchObject({
      ok: true,
      detail: expect.stringContaining('customer-contact secret accepted'),
    })
    expect(split(server.requests[2]?.url ?? '').query.corpsecret).toBe('contact')
  })

  it('reports a wrong secret', async () => {
    server = await startRecordingServer(() => ({ body: { errcode: 40001, errmsg: 'invalid credential' } }))
    const account = {
      id: 'a',
      config: { corpId: 'ww1', agentId: 1, secret: 'bad', baseUrl: server.url, duplicateCheckIntervalSeconds: 1800 },
    }
    expect(await wecomAdapter.testConnection(account, testDeps())).toEqual({ ok: false, code: '40001', message: 'invalid credential' })
  })
})
