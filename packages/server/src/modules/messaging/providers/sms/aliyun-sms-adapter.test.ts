import { createHash, createHmac } from 'node:crypto'
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
import { aliyunSmsAdapter, type AliyunSmsConfig } from './aliyun-sms-adapter.js'

// ACS3-HMAC-SHA256 recomputed from Aliyun's documented steps (V3 请求结构和签名), independently of the SDK.
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
function acs3Signature(input: {
  method: string
  query: Record<string, string>
  headers: Record<string, string>
  signedHeaders: string[]
  body: string
  secret: string
}) {
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(input.query[k] ?? '')}`)
    .join('&')
  const headers = input.signedHeaders.map((h) => `${h}:${(input.headers[h] ?? '').trim()}\n`).join('')
  const canonical = [input.method, '/', query, headers, input.signedHeaders.join(';'), sha256(input.body)].join('\n')
  return createHmac('sha256', input.secret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex')
}

/** Checks the recorded request's Authorization header against the recomputed signature; returns its query. */
function verifiedQuery(request: RecordedRequest, secret: string): Record<string, string> {
  const url = new URL(request.url, 'http://recorded')
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    String(request.headers.authorization),
  )
  expect(match, String(request.headers.authorization)).not.toBeNull()
  const signedHeaders = match?.[2]?.split(';') ?? []
  expect(signedHeaders).toEqual(
    expect.arrayContaining(['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']),
  )
  const query = Object.fromEntries(url.searchParams)
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]))
  expect(headers['x-acs-content-sha256']).toBe(sha256(request.body))
  expect(match?.[3]).toBe(acs3Signature({ method: request.method, query, headers, signedHeaders, body: request.body, secret }))
  return query
}

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})
const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
async function accountAnswering(reply: (request: RecordedRequest) => CannedReply) {
  server = await startRecordingServer(reply)
  const config: AliyunSmsConfig = {
    accessKeyId: 'LTAI-test-id',
    accessKeySecret: 'test-secret',
    region: 'cn-hangzhou',
    baseUrl: server.url,
  }
  return { id: 'acc_1', config }
}
const message: OutgoingMessage = {
  messageId: 'msg_1',
  idempotencyKey: 'idem-123',
  to: '+8613800000000',
  content: {
    channel: 'sms',
    templateCode: 'SMS_154950909',
    params: [
      { name: 'code', value: '1234' },
      { name: 'minutes', value: '5' },
    ],
    signName: '阿里云短信测试',
    text: '【阿里云短信测试】您的验证码为1234，5分钟内有效。',
  },
}

describe('the ACS3-HMAC-SHA256 signature as recomputed in this test', () => {
  it("reproduces Aliyun's published V3 example (RunInstances, 2023-10-26T10:22:32Z)", () => {
    const headers = {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-version': '2014-05-26',
    }
    const signature = acs3Signature({
      method: 'POST',
      query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
      headers,
      signedHeaders: Object.keys(headers),
      body: '',
      secret: 'YourAccessKeySecret',
    })
    expect(signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0')
  })
})

describe('aliyunSmsAdapter.send', () => {
  it('sends SendSms with the number without +86, the named params as JSON and our key as OutId, signed', async () => {
    const account = await accountAnswering(() => ({ body: { Code: 'OK', Message: 'OK', BizId: '9006197469364984^0', RequestId: 'req-1' } }))
    const outcome = await aliyunSmsAdapter.send(account, message, deps)
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: '9006197469364984^0' })
    const request = server?.requests[0] as RecordedRequest
    expect(request.method).toBe('POST')
    expect(request.body).toBe('')
    expect(request.headers).toMatchObject({
      'x-acs-action': 'SendSms',
      'x-acs-version': '2017-05-25',
      host: new URL(account.config.baseUrl).host,
    })
    expect(String(request.headers.authorization)).toContain('Credential=LTAI-test-id,')
    expect(verifiedQuery(request, 'test-secret')).toEqual({
      PhoneNumbers: '13800000000',
      SignName: '阿里云短信测试',
      TemplateCode: 'SMS_154950909',
      TemplateParam: '{"code":"1234","minutes":"5"}',
      OutId: 'idem-123',
    })
  })

  it('writes an international number as country code and number, without + or 00', async () => {
    const account = await accountAnswering(() => ({ body: { Code: 'OK', BizId: 'b' } }))
    await aliyunSmsAdapter.send(account, { ...message, to: '+85212345678' }, deps)
    expect(new URL(server?.requests[0]?.url ?? '', 'http://x').searchParams.get('PhoneNumbers')).toBe('85212345678')
  })

  it('retries a per-number flow control after the minute it names', async () => {
    const account = await accountAnswering(() => ({ body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' } }))
    expect(await aliyunSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'retryable',
      code: 'isv.BUSINESS_LIMIT_CONTROL',
      message: '触发分钟级流控Permits:1',
      retryAfterMs: 60_000,
    })
  })

  it('retries Throttling answers and server errors', async () => {
    const account = await accountAnswering((r) =>
      r.url.includes('first')
        ? { status: 400, body: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' } }
        : {
            status: 503,
            body: { Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' },
          },
    )
    expect(await aliyunSmsAdapter.send(account, { ...message, idempotencyKey: 'first' }, deps)).toMatchObject({
      status: 'retryable',
      code: 'Throttling.User',
    })
    expect(await aliyunSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: 'ServiceUnavailable' })
  })

  it('gives up on an invalid number, template or signature, keeping Aliyun’s code and message', async () => {
    for (const code of ['isv.MOBILE_NUMBER_ILLEGAL', 'isv.SMS_TEMPLATE_ILLEGAL', 'isv.SMS_SIGNATURE_ILLEGAL']) {
      const account = await accountAnswering(() => ({ body: { Code: code, Message: `${code} message`, RequestId: 'r' } }))
      expect(await aliyunSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'permanent', code, message: `${code} message` })
      await server?.close()
    }
    server = undefined
  })

  it('gives up on refused credentials (HTTP 400/404 with the code in the body)', async () => {
    const account = await accountAnswering((r) =>
      r.url.includes('first')
        ? { status: 404, body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' } }
        : { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' } },
    )
    expect(await aliyunSmsAdapter.send(account, { ...message, idempotencyKey: 'first' }, deps)).toMatchObject({
      status: 'permanent',
      code: 'InvalidAccessKeyId.NotFound',
    })
    expect(await aliyunSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'permanent', code: 'SignatureDoesNotMatch' })
  })

  it('retries when nothing answers at the base URL', async () => {
    const account = await accountAnswering(() => ({}))
    await server?.close()
    expect(await aliyunSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: 'ECONNREFUSED' })
  })
})

describe('aliyunSmsAdapter.testConnection', () => {
  it('reads one page of signatures with QuerySmsSignList', async () => {
    const account = await accountAnswering(() => ({ body: { Code: 'OK', TotalCount: 2, SmsSignList: [{ SignName: '阿里云短信测试' }] } }))
    expect(await aliyunSmsAdapter.testConnection(account, deps)).toEqual({ ok: true, detail: 'QuerySmsSignList answered: 2 signature(s)' })
    const request = server?.requests[0] as RecordedRequest
    expect(request.headers['x-acs-action']).toBe('QuerySmsSignList')
    expect(verifiedQuery(request, 'test-secret')).toEqual({ PageIndex: '1', PageSize: '1' })
  })

  it('reports refused credentials', async () => {
    const account = await accountAnswering(() => ({
      status: 404,
      body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' },
    }))
    expect(await aliyunSmsAdapter.testConnection(account, deps)).toEqual({
      ok: false,
      code: 'InvalidAccessKeyId.NotFound',
      message: 'Specified access key is not found.',
    })
  })
})

describe('aliyunSmsAdapter.reconcile', () => {
  const details = (outIds: string[]) => ({
    Code: 'OK',
    TotalCount: outIds.length,
    SmsSendDetailDTOs: { SmsSendDetailDTO: outIds.map((OutId) => ({ OutId, PhoneNum: '13800000000', SendStatus: 3 })) },
  })

  it('finds the message by its OutId in QuerySendDetails of the China send date', async () => {
    const account = await accountAnswering(() => ({ body: details(['other', 'idem-123']) }))
    const found = await aliyunSmsAdapter.reconcile?.(account, message, new Date('2026-03-02T01:00:00Z'), deps)
    expect(found).toEqual({ found: 'sent', providerMessageId: null })
    expect(verifiedQuery(server?.requests[0] as RecordedRequest, 'test-secret')).toEqual({
      PhoneNumber: '13800000000',
      SendDate: '20260302',
      PageSize: '50',
      CurrentPage: '1',
    })
  })

  it('says not sent when no day since the attempt lists our OutId', async () => {
    const account = await accountAnswering(() => ({ body: details(['other']) }))
    // 2026-03-01T15:00Z is 23:00 in China: the day before the clock's China date.
    expect(await aliyunSmsAdapter.reconcile?.(account, message, new Date('2026-03-01T15:00:00Z'), deps)).toEqual({ found: 'not_sent' })
    const dates = server?.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('SendDate'))
    expect(dates).toEqual(['20260301', '20260302'])
  })
})
