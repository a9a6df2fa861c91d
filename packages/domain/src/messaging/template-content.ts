import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'

/**
 * What an operator writes per channel. Every string marked "Liquid" is rendered with the profile's
 * traits (`profile.*`), computed properties (`computed.*`), the triggering event's properties
 * (`event.*`), a granted coupon (`coupon.code`, `coupon.face_value`, `coupon.expires_at`) and
 * the message's links (`unsubscribe_url`, `preferences_url`, and the `link` filter for a tracked link).
 */
const Liquid = (maxLength: number) => Type.String({ maxLength })
const Field = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.]+$' }), value: Liquid(2000) },
  { additionalProperties: false },
)
export type TemplateField = Static<typeof Field>

export const EmailContent = Type.Object(
  {
    channel: Type.Literal('email'),
    subject: Liquid(500),
    preheader: Liquid(500),
    /** `html`: the body is HTML; `mjml`: it is MJML, compiled to responsive HTML. */
    format: stringEnum(['html', 'mjml'] as const),
    body: Liquid(500_000),
    /** The plain-text part; derived from the HTML when empty. */
    text: Liquid(100_000),
    /** A sender other than the provider account's default. */
    from: Type.Optional(Type.String({ maxLength: 300 })),
    replyTo: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)

/**
 * Chinese SMS providers send only pre-approved templates: the operator names the approved template
 * code and signature, copies the approved wording into `text` (with `${name}` or `{1}` placeholders,
 * as the provider shows it), and gives each placeholder's value in Liquid.
 */
export const SmsContent = Type.Object(
  {
    channel: Type.Literal('sms'),
    templateCode: Type.String({ maxLength: 100 }),
    signName: Type.String({ maxLength: 50 }),
    text: Type.String({ maxLength: 1000 }),
    params: Type.Array(Field, { maxItems: 20 }),
  },
  { additionalProperties: false },
)

export const WechatContent = Type.Object(
  {
    channel: Type.Literal('wechat'),
    templateId: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Array(Field, { maxItems: 20 }),
    url: Type.Optional(Liquid(2000)),
    miniprogram: Type.Optional(
      Type.Object({ appid: Type.String({ maxLength: 100 }), pagepath: Liquid(500) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
)

export const MiniprogramContent = Type.Object(
  {
    channel: Type.Literal('miniprogram'),
    templateId: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Array(Field, { maxItems: 20 }),
    page: Type.Optional(Liquid(500)),
    state: Type.Optional(stringEnum(['developer', 'trial', 'formal'] as const)),
  },
  { additionalProperties: false },
)

/** WeCom: an application message to a staff member, or a customer-contact message sent through the customer's owning staff member. */
export const WecomContent = Type.Object(
  { channel: Type.Literal('wecom'), kind: stringEnum(['app', 'customer'] as const), text: Liquid(4000) },
  { additionalProperties: false },
)

export const PushContent = Type.Object(
  {
    channel: Type.Literal('push'),
    title: Liquid(200),
    body: Liquid(2000),
    deepLink: Type.Optional(Liquid(2000)),
    badge: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999 })),
    data: Type.Optional(Type.Array(Field, { maxItems: 20 })),
    android: Type.Optional(
      Type.Object(
        { channelId: Type.Optional(Type.String({ maxLength: 100 })), priority: Type.Optional(stringEnum(['normal', 'high'] as const)) },
        { additionalProperties: false },
      ),
    ),
    ios: Type.Optional(
      Type.Object(
        { sound: Type.Optional(Type.String({ maxLength: 100 })), threadId: Type.Optional(Type.String({ maxLength: 100 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

/** A webhook's JSON body, as Liquid that must render to JSON. */
export const WebhookContent = Type.Object({ channel: Type.Literal('webhook'), body: Liquid(100_000) }, { additionalProperties: false })

export const TemplateContent = Type.Union([
  EmailContent,
  SmsContent,
  WechatContent,
  MiniprogramContent,
  WecomContent,
  PushContent,
  WebhookContent,
])
export type TemplateContent = Static<typeof TemplateContent>
export type ContentOf<C extends TemplateContent['channel']> = Extract<TemplateContent, { channel: C }>

/**
 * The final SMS text: the approved wording with each placeholder (`${name}`, or `{n}` for the n-th
 * parameter as Tencent Cloud numbers them) replaced by its rendered value, after the signature
 * 【sign】 the carrier prepends.
 *
 * @example
 * smsText('【小店】', '您的验证码是${code}', [{ name: 'code', value: '1234' }]) // '【小店】您的验证码是1234'
 */
export function smsText(signName: string, text: string, params: ReadonlyArray<{ name: string; value: string }>): string {
  const byName = new Map(params.map((p) => [p.name, p.value]))
  const body = text
    .replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => byName.get(name) ?? whole)
    .replace(/\{(\d+)\}/g, (whole, n: string) => params[Number(n) - 1]?.value ?? whole)
  return signName ? `【${signName}】${body}` : body
}
