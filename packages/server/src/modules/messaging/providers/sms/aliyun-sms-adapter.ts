import { Type, type Static } from '@sinclair/typebox'
import type { OutgoingMessage, ProviderAdapter, ProviderDeps, Reconciliation, SendOutcome } from '../provider-adapter.js'
import { aliyunPhoneNumber, aliyunSmsCallback } from './aliyun-sms-callback.js'
import {
  $Dysmsapi,
  aliyunCodeFailure,
  aliyunRuntime,
  aliyunSmsClient,
  aliyunThrownFailure,
  type AliyunFailure,
} from './aliyun-sms-client.js'
import { chinaDate } from './sms-shared.js'

/** An Aliyun SMS (短信服务, dysmsapi 2017-05-25) account. */
export const AliyunSmsConfig = Type.Object({
  accessKeyId: Type.String({ minLength: 1 }),
  accessKeySecret: Type.String({ minLength: 1 }),
  region: Type.String({ default: 'cn-hangzhou' }),
  /** Scheme, host and port only (the SDK takes a host): a proxy in a private cloud. */
  baseUrl: Type.String({ default: 'https://dysmsapi.aliyuncs.com' }),
  /** The secret in our callback URL (`?token=…`): Aliyun's pushes are not signed. */
  callbackToken: Type.Optional(Type.String({ minLength: 16 })),
})
export type AliyunSmsConfig = Static<typeof AliyunSmsConfig>

/**
 * Sends through the official SDK (SendSms), with our idempotencyKey as `OutId` so a message left
 * `sending` by a crash can be found again (QuerySendDetails). Aliyun does not drop a second SendSms
 * with the same OutId, hence `acceptsIdempotencyKey: false`.
 */
export const aliyunSmsAdapter: ProviderAdapter<AliyunSmsConfig> = {
  kind: 'aliyun_sms',
  configSchema: AliyunSmsConfig,
  secretFields: ['accessKeySecret', 'callbackToken'],
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    if (message.content.channel !== 'sms')
      return { status: 'permanent', code: 'wrong_channel', message: `an SMS account cannot send ${message.content.channel}` }
    // The SDK takes no AbortSignal: an aborted send is not started (a started one ends within its timeouts).
    if (deps.signal?.aborted) return { status: 'retryable', code: 'aborted', message: 'the send was aborted before it started' }
    const request = new $Dysmsapi.SendSmsRequest({
      phoneNumbers: aliyunPhoneNumber(message.to),
      signName: message.content.signName,
      templateCode: message.content.templateCode,
      templateParam: JSON.stringify(Object.fromEntries(message.content.params.map((p) => [p.name, p.value]))),
      outId: message.idempotencyKey,
    })
    try {
      const { body } = await aliyunSmsClient(account.config).sendSmsWithOptions(request, aliyunRuntime())
      const response = body?.toMap()
      if (body?.code === 'OK') return { status: 'sent', providerMessageId: body.bizId ?? null, response }
      return failureOutcome(aliyunCodeFailure(body?.code ?? 'no_code', body?.message ?? 'Aliyun answered without a Code', response))
    } catch (error) {
      return failureOutcome(aliyunThrownFailure(error))
    }
  },

  // QuerySmsSignList (page 1, size 1): reads the account's signatures, changes nothing.
  async testConnection(account) {
    try {
      const request = new $Dysmsapi.QuerySmsSignListRequest({ pageIndex: 1, pageSize: 1 })
      const { body } = await aliyunSmsClient(account.config).querySmsSignListWithOptions(request, aliyunRuntime())
      if (body?.code !== 'OK')
        return { ok: false, code: body?.code ?? 'no_code', message: body?.message ?? 'Aliyun answered without a Code' }
      return { ok: true, detail: `QuerySmsSignList answered: ${body.totalCount ?? 0} signature(s)` }
    } catch (error) {
      const failure = aliyunThrownFailure(error)
      return { ok: false, code: failure.code, message: failure.message }
    }
  },

  async callback(account, request, deps) {
    return aliyunSmsCallback(account.config.callbackToken, request, deps.clock.now())
  },

  async reconcile(account, message, sentAfter, deps) {
    return reconcileByOutId(account.config, message, sentAfter, deps)
  },
}

function failureOutcome(failure: AliyunFailure): SendOutcome {
  if (!failure.retryable) return { status: 'permanent', code: failure.code, message: failure.message, response: failure.response }
  const outcome: SendOutcome = { status: 'retryable', code: failure.code, message: failure.message, response: failure.response }
  if (failure.retryAfterMs !== undefined) outcome.retryAfterMs = failure.retryAfterMs
  return outcome
}

const PAGE_SIZE = 50
const MAX_PAGES = 4

/**
 * QuerySendDetails lists one number's messages of one day (China time). We look for our OutId on
 * each day from `sentAfter` to today. Aliyun's list does not carry the BizId, so a found message
 * has no provider id (its later receipt, keyed by biz_id, cannot be matched to it).
 */
async function reconcileByOutId(
  config: AliyunSmsConfig,
  message: OutgoingMessage,
  sentAfter: Date,
  deps: ProviderDeps,
): Promise<Reconciliation> {
  const client = aliyunSmsClient(config)
  for (const sendDate of chinaDatesFrom(sentAfter, deps.clock.now())) {
    for (let currentPage = 1; currentPage <= MAX_PAGES; currentPage++) {
      const request = new $Dysmsapi.QuerySendDetailsRequest({
        phoneNumber: aliyunPhoneNumber(message.to),
        sendDate,
        pageSize: PAGE_SIZE,
        currentPage,
      })
      let body
      try {
        body = (await client.querySendDetailsWithOptions(request, aliyunRuntime())).body
      } catch (error) {
        return { found: 'unknown', reason: `QuerySendDetails failed: ${aliyunThrownFailure(error).message}` }
      }
      if (body?.code !== 'OK') return { found: 'unknown', reason: `QuerySendDetails answered ${body?.code}: ${body?.message}` }
      const details = body.smsSendDetailDTOs?.smsSendDetailDTO ?? []
      if (details.some((d) => d.outId === message.idempotencyKey)) return { found: 'sent', providerMessageId: null }
      if (currentPage * PAGE_SIZE >= Number(body.totalCount ?? 0)) break
      if (currentPage === MAX_PAGES)
        return { found: 'unknown', reason: `more than ${MAX_PAGES * PAGE_SIZE} messages to this number on ${sendDate}` }
    }
  }
  return { found: 'not_sent' }
}

/** The China dates (yyyyMMdd) from `from` to `to`, at most the 30 days Aliyun keeps. */
function chinaDatesFrom(from: Date, to: Date): string[] {
  const start = Math.max(from.getTime(), to.getTime() - 29 * 86_400_000)
  const dates: string[] = []
  for (let t = start; t < to.getTime() + 86_400_000; t += 86_400_000) {
    const date = chinaDate(new Date(Math.min(t, to.getTime())))
    if (!dates.includes(date)) dates.push(date)
  }
  return dates
}
