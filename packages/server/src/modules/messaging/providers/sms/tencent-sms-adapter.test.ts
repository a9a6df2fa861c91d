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
import { tencentSmsAdapter, type TencentSmsConfig } from './tencent-sms-adapter.js'
import { tc3Authorization } from './tencent-tc3-signer.js'

// TC3-HMAC-SHA256 recomputed here from Tencent's documented steps, independently of the adapter's signer.
const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const mac = (k: string | Buffer, m: string) => createHmac('sha256', k).update(m).digest()
function expectSignedByTc3(request: RecordedRequest, secretKey: string) {
  const timestamp = Number(request.headers['x-tc-timestamp'])
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10)
  const canonical = `POST\n/\n\ncontent-type:${request.headers['content-type']}\nhost:${request.headers.host}\n\ncontent-type;host\n${sha(request.body)}`
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha(canonical)}`
  const signature = createHmac('sha256', mac(mac(mac(`TC3${secretKey}`, date), 'sms'), 'tc3_request'))
    .update(toSign)
    .digest('hex')
  expect(request.headers.authorization).toBe(
    `TC3-HMAC-SHA256 Credential=AKIDtest/${date}/sms/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
  )
}

let server: RecordingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})
const clock = new ManualClock(new Date('2026-03-02T02:30:00Z'))
const deps: ProviderDeps = { fetch, clock, tokens: memoryTokenCache(clock) }
async function accountAnswering(reply: (request: RecordedRequest) => CannedReply) {
  server = await startRecordingServer(reply)
  const config: TencentSmsConfig = {
    secretId: 'AKIDtest',
    secretKey: 'test-key',
    region: 'ap-guangzhou',
    smsSdkAppId: '1400006666',
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
    templateCode: '449739',
    params: [
      { name: 'code', value: '1234' },
      { name: 'minutes', value: '5' },
    ],
    signName: '腾讯云',
    text: '【腾讯云】您的验证码为1234，5分钟内有效。',
  },
}
const sendStatus = (Code: string, Message: string) => ({
  Response: {
    SendStatusSet: [
      {
        SerialNo: '5000:1045710669157053657849499619',
        PhoneNumber: '+8613800000000',
        Fee: 1,
        SessionContext: 'idem-123',
        Code,
        Message,
        IsoCode: 'CN',
      },
    ],
    RequestId: 'r1',
  },
})
const apiError = (Code: string, Message: string) => ({ Response: { Error: { Code, Message }, RequestId: 'r1' } })

describe('tc3Authorization', () => {
  it("reproduces Tencent's published signature v3 example (CVM DescribeInstances, 1551113065)", () => {
    const authorization = tc3Authorization({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      contentType: 'application/json; charset=utf-8',
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    })
    expect(authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, ' +
        'Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    )
  })
})

describe('tencentSmsAdapter.send', () => {
  it('sends SendSms with the +86 number, positional params and our key as SessionContext, signed', async () => {
    const account = await accountAnswering(() => ({ body: sendStatus('Ok', 'send success') }))
    const outcome = await tencentSmsAdapter.send(account, message, deps)
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: '5000:1045710669157053657849499619' })
    const request = server?.requests[0] as RecordedRequest
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/')
    expect(request.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': '1772418600',
      'x-tc-region': 'ap-guangzhou',
    })
    expect(JSON.parse(request.body)).toEqual({
      PhoneNumberSet: ['+8613800000000'],
      SmsSdkAppId: '1400006666',
      SignName: '腾讯云',
      TemplateId: '449739',
      TemplateParamSet: ['1234', '5'],
      SessionContext: 'idem-123',
    })
    expectSignedByTc3(request, 'test-key')
  })

  it('retries a per-number limit after its window, and request limits and internal errors', async () => {
    const replies = [
      sendStatus('LimitExceeded.PhoneNumberThirtySecondLimit', '单个手机号30秒内下发短信条数超过设定的上限'),
      apiError('RequestLimitExceeded', '请求的次数超过了频率限制。'),
      apiError('InternalError.Timeout', '请求下发短信超时'),
    ]
    const account = await accountAnswering((_r) => ({ body: replies[(server?.requests.length ?? 1) - 1] }))
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'retryable',
      code: 'LimitExceeded.PhoneNumberThirtySecondLimit',
      retryAfterMs: 30_000,
    })
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: 'RequestLimitExceeded' })
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({ status: 'retryable', code: 'InternalError.Timeout' })
  })

  it('retries an HTTP 502 from a proxy, honouring Retry-After', async () => {
    const account = await accountAnswering(() => ({ status: 502, headers: { 'retry-after': '12' }, body: 'Bad Gateway' }))
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'retryable',
      code: 'http_502',
      retryAfterMs: 12_000,
    })
  })

  it('gives up on a wrong number, an unapproved template or refused credentials, keeping Tencent’s code', async () => {
    const replies = [
      sendStatus('InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误'),
      sendStatus('FailedOperation.TemplateIncorrectOrUnapproved', '模板未审批或内容不匹配'),
      apiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.'),
    ]
    const account = await accountAnswering(() => ({ body: replies[(server?.requests.length ?? 1) - 1] }))
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'permanent',
      code: 'InvalidParameterValue.IncorrectPhoneNumber',
      message: '手机号格式错误',
    })
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'permanent',
      code: 'FailedOperation.TemplateIncorrectOrUnapproved',
    })
    expect(await tencentSmsAdapter.send(account, message, deps)).toMatchObject({
      status: 'permanent',
      code: 'AuthFailure.SignatureFailure',
    })
  })

  it('retries when the call times out', async () => {
    const account = await accountAnswering(() => ({ body: sendStatus('Ok', 'x') }))
    const timedOut = {
      ...deps,
      fetch: (() => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))) as typeof fetch,
    }
    expect(await tencentSmsAdapter.send(account, message, timedOut)).toMatchObject({ status: 'retryable', code: 'timeout' })
  })
})

describe('tencentSmsAdapter.testConnection', () => {
  it("reads today's SendStatusStatistics (China hours)", async () => {
    const account = await accountAnswering(() => ({
      body: { Response: { SendStatusStatistics: { FeeCount: 3, RequestCount: 3, RequestSuccessCount: 3 } } },
    }))
    expect(await tencentSmsAdapter.testConnection(account, deps)).toEqual({
      ok: true,
      detail: 'SendStatusStatistics answered: 3 request(s) today',
    })
    const request = server?.requests[0] as RecordedRequest
    expect(request.headers['x-tc-action']).toBe('SendStatusStatistics')
    expect(JSON.parse(request.body)).toEqual({
      BeginTime: '2026030200',
      EndTime: '2026030210',
      SmsSdkAppId: '1400006666',
      Limit: 0,
      Offset: 0,
    })
    expectSignedByTc3(request, 'test-key')
  })

  it('reports refused credentials', async () => {
    const account = await accountAnswering(() => ({ body: apiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found') }))
    expect(await tencentSmsAdapter.testConnection(account, deps)).toEqual({
      ok: false,
      code: 'AuthFailure.SecretIdNotFound',
      message: 'The SecretId is not found',
    })
  })
})

describe('tencentSmsAdapter.reconcile', () => {
  const pulled = (contexts: string[]) => ({
    Response: {
      PullSmsSendStatusSet: contexts.map((SessionContext, i) => ({
        SerialNo: `serial-${i}`,
        PhoneNumber: '+8613800000000',
        ReportStatus: 'SUCCESS',
        SessionContext,
      })),
    },
  })

  it('finds the status report carrying our SessionContext', async () => {
    const account = await accountAnswering(() => ({ body: pulled(['other', 'idem-123']) }))
    expect(await tencentSmsAdapter.reconcile?.(account, message, new Date('2026-03-02T02:00:00Z'), deps)).toEqual({
      found: 'sent',
      providerMessageId: 'serial-1',
    })
    const request = server?.requests[0] as RecordedRequest
    expect(request.headers['x-tc-action']).toBe('PullSmsSendStatusByPhoneNumber')
    expect(JSON.parse(request.body)).toEqual({
      BeginTime: 1772416800,
      EndTime: 1772418600,
      Offset: 0,
      Limit: 100,
      PhoneNumber: '+8613800000000',
      SmsSdkAppId: '1400006666',
    })
  })

  it('cannot tell when no report carries it yet', async () => {
    const account = await accountAnswering(() => ({ body: pulled(['other']) }))
    expect(await tencentSmsAdapter.reconcile?.(account, message, new Date('2026-03-02T02:00:00Z'), deps)).toMatchObject({
      found: 'unknown',
    })
  })
})
