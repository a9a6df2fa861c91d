import { STANDARD_EVENTS, type TimelineEvent } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { en, zh } from '../../i18n/dictionaries.js'
import { fillPlaceholders, type Language, type Translate } from '../../i18n/i18n.js'
import { moneyFormat } from '../../shared/money.js'
import { describeEvent, type EventWords, type WordsContext } from './timeline-words.js'

function context(language: Language, describe?: WordsContext['describe']): WordsContext {
  const dictionary: Record<string, string> = language === 'zh-CN' ? zh : en
  const t = ((key: string, params?: Record<string, string | number>) => fillPlaceholders(dictionary[key] ?? key, params)) as Translate
  return {
    t,
    tMaybe: (key, fallback) => dictionary[key] ?? fallback,
    language,
    money: moneyFormat({ currency: 'CNY', marks: null, language, timeZone: 'Asia/Shanghai' }),
    describe,
  }
}

const track = (name: string, properties: Record<string, unknown> = {}): TimelineEvent => ({
  id: '1',
  type: 'track',
  name,
  timestamp: '2026-11-24T08:00:00Z',
  receivedAt: '2026-11-24T08:00:01Z',
  sourceId: null,
  messageId: 'm-1',
  properties,
  traits: {},
})
/** An event as one line of text, as the timeline shows it. */
const line = (w: EventWords) => [w.title, ...w.parts.map((p) => p.text)].join(' | ')
const tell = (event: TimelineEvent, language: Language) => line(describeEvent(event, context(language)))

describe('the timeline tells events in words', () => {
  it('tells a coupon redemption with its discount as money, in Chinese and English', () => {
    const redeemed = track('Coupon Redeemed', { coupon: 'WELCOME20', order_id: 'SO-1-1', discount: 300, currency: 'CNY' })
    expect(tell(redeemed, 'zh-CN')).toBe('使用优惠券 | 优惠券 WELCOME20 | 优惠 ¥3.00 | 订单 SO-1-1')
    expect(tell(redeemed, 'en-US')).toBe('Redeemed coupon | Coupon WELCOME20 | ¥3.00 off | Order SO-1-1')
    expect(describeEvent(redeemed, context('zh-CN')).parts.find((p) => p.kind === 'money')?.text).toBe('优惠 ¥3.00')
  })

  it('tells an order with its total, its products by name, the discount, coupon, payment, store and staff', () => {
    const order = track('Order Completed', {
      order_id: 'SO-7',
      total: 4800,
      subtotal: 6800,
      discount: 2000,
      currency: 'CNY',
      coupon: 'WELCOME20',
      products: [{ product_id: 'wash-premium', name: '精洗', price: 6800, quantity: 1 }],
      payment_method: 'wechat_pay',
      store_id: 'cq-1',
      store_name: '重庆解放碑店',
      staff_id: 'cq-1-s2',
    })
    expect(tell(order, 'zh-CN')).toBe(
      '完成订单 | ¥48.00 | 1 件商品：精洗 | 优惠 ¥20.00 | 优惠券 WELCOME20 | 支付：微信支付 | 门店：重庆解放碑店 | 店员：cq-1-s2 | 订单 SO-7',
    )
    expect(tell(order, 'en-US')).toBe(
      'Completed order | ¥48.00 | 1 item: 精洗 | ¥20.00 off | Coupon WELCOME20 | Paid by WeChat Pay | Store: 重庆解放碑店 | Staff: cq-1-s2 | Order SO-7',
    )
  })

  it('tells the demo’s own events: a product viewed with its price, a card bought, a service done, a store visit', () => {
    const viewed = track('Product Viewed', { product_id: 'wash-premium', price: 6800, currency: 'CNY', store_id: 'cq-1' })
    expect(tell(viewed, 'zh-CN')).toBe('浏览商品 | 精洗 | 单价 ¥68.00 | 门店：cq-1')
    const card = track('Card Purchased', {
      card_type: 'monthly',
      total: 19_900,
      currency: 'CNY',
      uses: 8,
      valid_until: '2026-12-24T08:00:00Z',
      store_id: 'cq-1',
    })
    expect(tell(card, 'zh-CN')).toMatch(/^购买会员卡 \| 月卡 \| ¥199\.00 \| 8 次 \| 有效期至 2026年12月24日 \| 门店：cq-1$/)
    expect(tell(card, 'en-US')).toBe('Bought a card | Monthly card | ¥199.00 | 8 uses | valid until Dec 24, 2026 | Store: cq-1')
    const service = track('Service Completed', {
      service: 'wash-basic',
      order_id: 'SO-1',
      store_id: 'cq-1',
      staff_id: 'cq-1-s1',
      vehicle_plate: '渝A12345',
    })
    expect(tell(service, 'zh-CN')).toBe('完成服务 | 标准洗车 | 车牌 渝A12345 | 门店：cq-1 | 店员：cq-1-s1 | 订单 SO-1')
    expect(tell(track('Store Visited', { store_id: 'cq-1', city: '重庆' }), 'en-US')).toBe('Visited store | Store: cq-1 | City: 重庆')
    expect(tell(track('Signed Up', { method: 'wechat', channel_code: 'store-cq-1' }), 'zh-CN')).toBe(
      '注册会员 | 方式：微信 | 渠道：store-cq-1',
    )
    expect(tell(track('Coupon Received', { coupon: 'WELCOME20', coupon_template_id: 'welcome' }), 'zh-CN')).toBe(
      '领取优惠券 | 优惠券 WELCOME20',
    )
    expect(tell(track('Lead Captured', { interest: 'tyres', staff_id: 'cq-1-s1', store_id: 'cq-1' }), 'zh-CN')).toBe(
      '登记销售线索 | 意向：轮胎 | 店员：cq-1-s1 | 门店：cq-1',
    )
  })

  it('tells refunds with the amount refunded and the reason', () => {
    const refund = track('Order Refunded', { order_id: 'SO-7', total: 4800, currency: 'CNY', reason: '服务不满意' })
    expect(tell(refund, 'zh-CN')).toBe('订单退款 | 退款 ¥48.00 | 原因：服务不满意 | 订单 SO-7')
    expect(tell(refund, 'en-US')).toBe('Refunded order | ¥48.00 refunded | Reason: 服务不满意 | Order SO-7')
  })

  it('names segments and tags, and says how a profile was merged without its full id', () => {
    expect(tell(track('Segment Entered', { segment_id: 's-1', segment_name: '高价值客户' }), 'zh-CN')).toBe('进入人群 | 高价值客户')
    expect(tell(track('Tag Removed', { tag_id: 't-1', tag_name: 'VIP' }), 'en-US')).toBe('Untagged | VIP')
    const merged = track('Profiles Merged', { merged_profile_id: '0f8a9c3e-1111-2222-3333-444455556666', by: 'ingestion' })
    expect(tell(merged, 'zh-CN')).toBe('合并了另一个档案 | 身份识别合并 | 原档案 0f8a9c3e')
  })

  it('tells every standard event of docs/events.md in Chinese words, not its English name', () => {
    for (const name of Object.keys(STANDARD_EVENTS)) {
      const { title } = describeEvent(track(name), context('zh-CN'))
      expect(title, name).not.toBe(name)
      expect(title, name).toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('tells the messages sent to a customer and an unsubscribe, with the channel and why one failed', () => {
    expect(tell(track('Message Sent', { message_id: 'm-1', channel: 'sms', template_id: 't-1' }), 'zh-CN')).toBe('消息已发送 | 短信')
    expect(tell(track('Message Sent', { channel: 'sms' }), 'en-US')).toBe('Message sent | SMS')
    expect(tell(track('Message Delivered', { channel: 'email' }), 'zh-CN')).toBe('消息已送达 | 邮箱')
    expect(tell(track('Message Opened', { channel: 'email' }), 'zh-CN')).toBe('消息已打开 | 邮箱')
    expect(tell(track('Message Clicked', { channel: 'email', url: 'https://shop.example/sale' }), 'zh-CN')).toBe(
      '消息链接已点击 | 邮箱 | https://shop.example/sale',
    )
    expect(tell(track('Message Failed', { channel: 'sms', reason: 'isv.MOBILE_NUMBER_ILLEGAL' }), 'zh-CN')).toBe(
      '消息发送失败 | 短信 | 原因：isv.MOBILE_NUMBER_ILLEGAL',
    )
    expect(tell(track('Message Failed', { channel: 'sms', reason: 'outcome_unknown' }), 'en-US')).toBe(
      'Message failed | SMS | Reason: Outcome unknown (the provider did not confirm)',
    )
    expect(tell(track('Unsubscribed', { group: 'marketing_sms', channel: 'sms', source: 'sms_reply' }), 'zh-CN')).toBe(
      '已退订 | 短信 | 短信回复退订',
    )
  })

  it('tells an unknown event by its name and properties, money as money', () => {
    const other = track('Wallet Topped Up', { amount: 10_000, currency: 'CNY', channel: 'wechat', bonus_points: 50 })
    expect(tell(other, 'zh-CN')).toBe('Wallet Topped Up | amount: ¥100.00 | channel: wechat | bonus_points: 50')
    const described = describeEvent(
      other,
      context('zh-CN', (name) => (name === 'Wallet Topped Up' ? '储值充值' : undefined)),
    )
    expect(described.title).toBe('储值充值 (Wallet Topped Up)')
  })

  it('tells page views, profile updates and identity links', () => {
    const page: TimelineEvent = { ...track('会员中心'), type: 'page', properties: { path: '/membership' } }
    expect(tell(page, 'zh-CN')).toBe('浏览页面 | 会员中心 | /membership')
    const identify: TimelineEvent = { ...track(''), type: 'identify', name: null, traits: { name: '陈静', city: '重庆' } }
    expect(tell(identify, 'en-US')).toBe('Updated profile | name | city')
    expect(tell({ ...track(''), type: 'alias', name: null }, 'zh-CN')).toBe('关联身份')
  })
})
