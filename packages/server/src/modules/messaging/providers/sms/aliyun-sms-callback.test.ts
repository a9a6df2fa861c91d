import { ManualClock } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { CallbackRequest, ProviderDeps } from '../provider-adapter.js'
import { aliyunSmsAdapter, type AliyunSmsConfig } from './aliyun-sms-adapter.js'

const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
const token = 'cb-token-0123456789abcdef'
const account = {
  id: 'acc_1',
  config: {
    accessKeyId: 'id',
    accessKeySecret: 'secret',
    region: 'cn-hangzhou',
    baseUrl: 'https://dysmsapi.aliyuncs.com',
    callbackToken: token,
  } satisfies AliyunSmsConfig,
}
const push = (body: unknown, query: Record<string, string | undefined> = { token }): CallbackRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query,
  rawBody: JSON.stringify(body),
  url: `https://reach.example.com/callbacks/acc_1?token=${query.token ?? ''}`,
})
const callback = (request: CallbackRequest) => aliyunSmsAdapter.callback?.(account, request, deps)

describe('aliyunSmsAdapter.callback', () => {
  it('reads delivery reports (SmsReport) with the callback token, and answers {"code":0,"msg":"成功"}', async () => {
    const result = await callback(
      push([
        {
          phone_number: '13900000000',
          send_time: '2026-03-02 10:00:00',
          report_time: '2026-03-02 10:00:08',
          success: true,
          err_code: 'DELIVERED',
          err_msg: '用户接收成功',
          sms_size: '1',
          biz_id: '932702304080415357^0',
          out_id: 'idem-123',
        },
        {
          phone_number: '13900000001',
          report_time: '2026-03-02 10:01:00',
          success: false,
          err_code: 'MK:0012',
          err_msg: '空号',
          biz_id: 'b2^0',
          out_id: 'k2',
        },
      ]),
    )
    expect(result).toEqual({
      ok: true,
      reports: [
        {
          kind: 'receipt',
          providerMessageId: '932702304080415357^0',
          status: 'delivered',
          at: new Date('2026-03-02T02:00:08Z'),
          code: 'DELIVERED',
          message: '用户接收成功',
        },
        {
          kind: 'receipt',
          providerMessageId: 'b2^0',
          status: 'failed',
          at: new Date('2026-03-02T02:01:00Z'),
          code: 'MK:0012',
          message: '空号',
        },
      ],
      reply: { status: 200, contentType: 'application/json', body: '{"code":0,"msg":"成功"}' },
    })
  })

  it('reads replies (SmsUp) as coming from the E.164 number', async () => {
    const result = await callback(
      push([
        {
          phone_number: '13900000000',
          send_time: '2026-03-02 10:05:00',
          content: 'TD',
          sign_name: '阿里云短信测试',
          dest_code: '1234',
          sequence_id: 1,
        },
      ]),
    )
    expect(result).toMatchObject({
      ok: true,
      reports: [{ kind: 'reply', from: '+8613900000000', text: 'TD', at: new Date('2026-03-02T02:05:00Z') }],
    })
  })

  it('accepts the token in a header too', async () => {
    const request = { ...push([], {}), headers: { 'x-reachloop-callback-token': token } }
    expect(await callback(request)).toMatchObject({ ok: true, reports: [] })
  })

  it('refuses a push with a wrong or missing token', async () => {
    expect(await callback(push([], { token: `${token}x` }))).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(await callback(push([], { token: token.replace('0', '1') }))).toMatchObject({ ok: false, reason: 'bad_signature' })
    expect(await callback(push([], {}))).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('refuses every push while the account has no callback token', async () => {
    const bare = { ...account, config: { ...account.config, callbackToken: undefined } }
    expect(await aliyunSmsAdapter.callback?.(bare, push([]), deps)).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('calls a body that is not a JSON array of reports or replies malformed', async () => {
    expect(await callback({ ...push([]), rawBody: '{"code":0' })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(await callback(push({ biz_id: 'x' }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(await callback(push([{ something: 'else' }]))).toMatchObject({ ok: false, reason: 'malformed' })
  })
})
