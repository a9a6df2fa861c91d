import type { ProviderKind } from '@reachloop/domain'
import type { ProviderAdapter } from './provider-adapter.js'
import { smtpAdapter } from './email/smtp-adapter.js'
import { apnsAdapter } from './push/apns-adapter.js'
import { fcmAdapter } from './push/fcm-adapter.js'
import { jpushAdapter } from './push/jpush-adapter.js'
import { aliyunSmsAdapter } from './sms/aliyun-sms-adapter.js'
import { tencentSmsAdapter } from './sms/tencent-sms-adapter.js'
import { twilioAdapter } from './sms/twilio-adapter.js'
import { webhookAdapter } from './webhook/webhook-adapter.js'
import { wechatMiniprogramAdapter } from './wechat/wechat-miniprogram-adapter.js'
import { wechatOfficialAdapter } from './wechat/wechat-official-adapter.js'
import { wecomAdapter } from './wechat/wecom-adapter.js'

/** Every provider adapter by kind. */
const ADAPTERS: Partial<Record<ProviderKind, ProviderAdapter>> = {
  smtp: smtpAdapter as ProviderAdapter,
  aliyun_sms: aliyunSmsAdapter as ProviderAdapter,
  tencent_sms: tencentSmsAdapter as ProviderAdapter,
  twilio: twilioAdapter as ProviderAdapter,
  wechat_official: wechatOfficialAdapter as ProviderAdapter,
  wechat_miniprogram: wechatMiniprogramAdapter as ProviderAdapter,
  wecom: wecomAdapter as ProviderAdapter,
  jpush: jpushAdapter as ProviderAdapter,
  fcm: fcmAdapter as ProviderAdapter,
  apns: apnsAdapter as ProviderAdapter,
  webhook: webhookAdapter as ProviderAdapter,
}

export function adapterOf(kind: ProviderKind): ProviderAdapter | undefined {
  return ADAPTERS[kind]
}

export const availableProviderKinds = (): ProviderKind[] => Object.keys(ADAPTERS) as ProviderKind[]
