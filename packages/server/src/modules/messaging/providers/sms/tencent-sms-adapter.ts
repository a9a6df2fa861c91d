import { Type, type Static } from '@sinclair/typebox'
import type { ProviderAdapter, SendOutcome } from '../provider-adapter.js'
import { field, text } from './sms-shared.js'
import { callTencentSms, tencentCodeFailure, type TencentCall } from './tencent-sms-client.js'
import { tencentSmsCallback } from './tencent-sms-callback.js'

/** A Tencent Cloud SMS (API 2021-01-11) account. */
export const TencentSmsConfig = Type.Object({
  secretId: Type.String({ minLength: 1 }),
  secretKey: Type.String({ minLength: 1 }),
  region: Type.String({ default: 'ap-guangzhou' }),
  smsSdkAppId: Type.String({ minLength: 1 }),
  baseUrl: Type.String({ default: 'https://sms.tencentcloudapi.com' }),
  /** The secret in our callback URL (`?token=…`): Tencent's pushes are not signed. */
  callbackToken: Type.Optional(Type.String({ minLength: 16 })),
})
export type TencentSmsConfig = Static<typeof TencentSmsConfig>

/**
 * Sends with SendSms, our idempotencyKey as `SessionContext` (echoed in status reports and in
 * PullSmsSendStatusByPhoneNumber). Tencent does not drop a repeated SessionContext.
 */
export const tencentSmsAdapter: ProviderAdapter<TencentSmsConfig> = {
  kind: 'tencent_sms',
  configSchema: TencentSmsConfig,
  secretFields: ['secretKey', 'callbackToken'],
  acceptsIdempotencyKey: false,

  async send(account, message, deps) {
    if (message.content.channel !== 'sms')
      return { status: 'permanent', code: 'wrong_channel', message: `an SMS account cannot send ${message.content.channel}` }
    const call = await callTencentSms(
      account.config,
      'SendSms',
      {
        PhoneNumberSet: [message.to],
        SmsSdkAppId: account.config.smsSdkAppId,
        SignName: message.content.signName,
        TemplateId: message.content.templateCode,
        TemplateParamSet: message.content.params.map((p) => p.value),
        SessionContext: message.idempotencyKey,
      },
      deps,
    )
    if (!call.ok) return failureOutcome(call)
    const status = (field(call.response, 'SendStatusSet') as unknown[] | undefined)?.[0]
    const code = text(status, 'Code')
    if (code === 'Ok') return { status: 'sent', providerMessageId: text(status, 'SerialNo') ?? null, response: call.response }
    return failureOutcome(
      tencentCodeFailure(code ?? 'no_code', text(status, 'Message') ?? 'Tencent answered without a SendStatusSet', call.response),
    )
  },

  // SendStatusStatistics for today (China time): reads counters, changes nothing, proves the SmsSdkAppId too.
  async testConnection(account, deps) {
    const now = new Date(deps.clock.now().getTime() + 8 * 3_600_000)
    const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, '')
    const body = { BeginTime: `${hour.slice(0, 8)}00`, EndTime: hour, SmsSdkAppId: account.config.smsSdkAppId, Limit: 0, Offset: 0 }
    const call = await callTencentSms(account.config, 'SendStatusStatistics', body, deps)
    if (!call.ok) return { ok: false, code: call.code, message: call.message }
    const requests = text(field(call.response, 'SendStatusStatistics'), 'RequestCount') ?? '0'
    return { ok: true, detail: `SendStatusStatistics answered: ${requests} request(s) today` }
  },

  async callback(account, request, deps) {
    return tencentSmsCallback(account.config.callbackToken, request, deps.clock.now())
  },

  /**
   * PullSmsSendStatusByPhoneNumber lists the number's status reports since the attempt; ours carries
   * our SessionContext. A message whose report has not come yet is not listed (reports can take
   * hours for a phone that is off), so absence proves nothing: `unknown`.
   */
  async reconcile(account, message, sentAfter, deps) {
    const body = {
      BeginTime: Math.floor(sentAfter.getTime() / 1000),
      EndTime: Math.floor(deps.clock.now().getTime() / 1000),
      Offset: 0,
      Limit: 100,
      PhoneNumber: message.to,
      SmsSdkAppId: account.config.smsSdkAppId,
    }
    const call = await callTencentSms(account.config, 'PullSmsSendStatusByPhoneNumber', body, deps)
    if (!call.ok) return { found: 'unknown', reason: `PullSmsSendStatusByPhoneNumber failed: ${call.code} ${call.message}` }
    const statuses = (field(call.response, 'PullSmsSendStatusSet') as unknown[] | undefined) ?? []
    const ours = statuses.find((s) => text(s, 'SessionContext') === message.idempotencyKey)
    if (ours) return { found: 'sent', providerMessageId: text(ours, 'SerialNo') ?? null }
    return { found: 'unknown', reason: 'no status report carries our SessionContext yet' }
  },
}

function failureOutcome(call: Extract<TencentCall, { ok: false }>): SendOutcome {
  if (!call.retryable) return { status: 'permanent', code: call.code, message: call.message, response: call.response }
  const outcome: SendOutcome = { status: 'retryable', code: call.code, message: call.message, response: call.response }
  if (call.retryAfterMs !== undefined) outcome.retryAfterMs = call.retryAfterMs
  return outcome
}
