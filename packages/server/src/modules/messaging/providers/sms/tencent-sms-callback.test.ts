import { ManualClock } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { CallbackRequest, ProviderDeps } from '../provider-adapter.js'
import { tencentSmsAdapter, type TencentSmsConfig } from './tencent-sms-adapter.js'

const clock = new ManualClock(new Date('2026-03-02T02:30:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
const token = 'cb-token-0123456789abcdef'
const config: TencentSmsConfig = {
  secretId: 'id',
  secretKey: 'key',
  region: 'ap-guangzhou',
  smsSdkAppId: '1400006666',
  baseUrl: 'https://sms.tencentcloudapi.com',
  callbackToken: token,
}
const account = { id: 'acc_1', config }
const push = (body: unknown, query: Record<string, string | undefined> = { token }): CallbackRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query,
  rawBody: JSON.stringify(body),
  url: 'https://reach.example.com/callbacks/acc_1',
})
const callback = (request: CallbackRequest) => tencentSmsAdapter.callback?.(account, request, deps)

describe('tencentSmsAdapter.callback', () => {
  it('reads status reports with the callback token, and answers {"result":0,"errmsg":"OK"}', async () => {
    const result = await callback(
      push([
        {
          user_receive_time: '2026-03-02 10:31:04',
          nationcode: '86',
          mobile: '13800000000',
          report_status: 'SUCCESS',
          errmsg: 'DELIVRD',
          description: '用户短信送达成功',
          sid: 'serial-1',
        },
        {
          user_receive_time: '2026-03-02 10:32:00',
          nationcode: '86',
          mobile: '13800000001',
          report_status: 'FAIL',
          errmsg: 'MK:0001',
          description: '空号',
          sid: 'serial-2',
        },
      ]),
    )
    expect(result).toEqual({
      ok: true,
      reports: [
        {
          kind: 'receipt',
          providerMessageId: 'serial-1',
          status: 'delivered',
          at: new Date('2026-03-02T02:31:04Z'),
          code: 'DELIVRD',
          message: '用户短信送达成功',
        },
        {
          kind: 'receipt',
          providerMessageId: 'serial-2',
          status: 'failed',
          at: new Date('2026-03-02T02:32:00Z'),
          code: 'MK:0001',
          message: '空号',
        },
      ],
      reply: { status: 200, contentType: 'application/json', body: '{"result":0,"errmsg":"OK"}' },
    })
  })

  it('reads a reply as coming from the E.164 number', async () => {
    const result = await callback(
      push({ extend: '', mobile: '13800000000', nationcode: '86', sign: '腾讯云', text: '退订', time: 1772418700 }),
    )
    expect(result).toMatchObject({
      ok: true,
      reports: [{ kind: 'reply', from: '+8613800000000', text: '退订', at: new Date(1772418700_000) }],
    })
  })

  it('refuses a push with a wrong or missing token, or when the account has none', async () => {
    expect(await callback(push([], { token: 'cb-token-0123456789abcdeX' }))).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(await callback(push([], {}))).toMatchObject({ ok: false, reason: 'bad_signature' })
    const bare = { ...account, config: { ...config, callbackToken: undefined } }
    expect(await tencentSmsAdapter.callback?.(bare, push([]), deps)).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('calls anything else malformed', async () => {
    expect(await callback(push([{ sid: 'x', report_status: 'MAYBE' }]))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(await callback(push({ hello: 'world' }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(await callback({ ...push([]), rawBody: 'not json' })).toMatchObject({ ok: false, reason: 'malformed' })
  })
})
