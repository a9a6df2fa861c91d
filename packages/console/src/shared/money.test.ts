import type { ComputedDefinition } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import {
  currencySymbol,
  formatMoney,
  isMoneyDefinition,
  isMoneyName,
  isMoneyProperty,
  majorOf,
  minorDigits,
  minorOf,
  moneyFormat,
  MONEY_WORDS,
} from './money.js'

// Intl separates a negative sign and some symbols with narrow or non-breaking spaces; the tests read plain text.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('formatMoney: minor units (fen) in the reader’s language', () => {
  it('writes yuan in Chinese and in English with the same ¥', () => {
    expect(formatMoney(300, 'CNY', 'zh-CN')).toBe('¥3.00')
    expect(formatMoney(300, 'CNY', 'en-US')).toBe('¥3.00')
    expect(formatMoney(6000, 'CNY', 'zh-CN')).toBe('¥60.00')
    expect(formatMoney(11_006, 'CNY', 'zh-CN')).toBe('¥110.06')
  })

  it('writes dollars in either language', () => {
    expect(formatMoney(12_345, 'USD', 'en-US')).toBe('$123.45')
    expect(formatMoney(12_345, 'USD', 'zh-CN')).toBe('$123.45')
  })

  it('keeps the sign of a refund or correction', () => {
    expect(plain(formatMoney(-300, 'CNY', 'zh-CN'))).toBe('-¥3.00')
    expect(plain(formatMoney(-12_345, 'USD', 'en-US'))).toBe('-$123.45')
  })

  it('turns a typed amount into minor units and back, rounded to the fen (yen have none)', () => {
    expect(minorOf(88, 'CNY')).toBe(8800)
    expect(minorOf(88.005, 'CNY')).toBe(8801)
    expect(majorOf(8800, 'CNY')).toBe(88)
    expect(minorOf(500, 'JPY')).toBe(500)
    expect(currencySymbol('CNY', 'zh-CN')).toBe('¥')
    expect(currencySymbol('USD', 'en-US')).toBe('$')
  })

  it('groups the digits of large amounts', () => {
    expect(formatMoney(123_456_789_00, 'CNY', 'zh-CN')).toBe('¥123,456,789.00')
    expect(formatMoney(99_900, 'CNY', 'en-US')).toBe('¥999.00')
  })

  it('follows the currency’s minor unit: yen have none', () => {
    expect(minorDigits('JPY')).toBe(0)
    expect(minorDigits('CNY')).toBe(2)
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500')
  })

  it('rounds a fractional bucket boundary to the minor unit', () => {
    expect(formatMoney(11_006.4, 'CNY', 'zh-CN')).toBe('¥110.06')
  })
})

describe('which properties are money', () => {
  it('takes the names of docs/events.md and the Segment spec', () => {
    for (const name of ['total', 'subtotal', 'revenue', 'price', 'discount', 'shipping', 'tax', 'value', 'amount'])
      expect(isMoneyName(name), name).toBe(true)
    expect([...MONEY_WORDS].sort()).toEqual(['amount', 'discount', 'price', 'revenue', 'shipping', 'subtotal', 'tax', 'total', 'value'])
  })

  it('reads the last word of a longer name, in snake, kebab, dotted or camel case', () => {
    for (const name of ['order_total', 'products.price', 'unitPrice', 'coupon-discount', 'Total', 'refund_amount'])
      expect(isMoneyName(name), name).toBe(true)
    for (const name of ['total_uses', 'discount_rate', 'price_tier', 'quantity', 'uses', 'store_id', 'coupon', 'valued_at', ''])
      expect(isMoneyName(name), name).toBe(false)
  })

  it('also takes what the catalogue marks money, by full path or last part', () => {
    const marks = new Set(['balance', 'wallet.points_value_fen'])
    expect(isMoneyProperty('balance', marks)).toBe(true)
    expect(isMoneyProperty('card.balance', marks)).toBe(true)
    expect(isMoneyProperty('balance', null)).toBe(false)
    expect(isMoneyProperty('total', marks)).toBe(true)
  })

  it('knows a computed property keeps money when it sums, averages or picks a money property', () => {
    const base = { event: 'Order Completed', filters: [], window: { type: 'ever' as const } }
    const aggregate = (aggregate: string, property?: string) =>
      ({ kind: 'aggregate', ...base, aggregate, ...(property ? { property } : {}) }) as unknown as ComputedDefinition
    expect(isMoneyDefinition(aggregate('sum', 'total'), isMoneyName)).toBe(true)
    expect(isMoneyDefinition(aggregate('avg', 'discount'), isMoneyName)).toBe(true)
    expect(isMoneyDefinition(aggregate('count'), isMoneyName)).toBe(false)
    expect(isMoneyDefinition(aggregate('sum', 'quantity'), isMoneyName)).toBe(false)
    expect(isMoneyDefinition({ kind: 'rfm', ...base, monetaryProperty: 'total' } as ComputedDefinition, isMoneyName)).toBe(false)
  })
})

describe('moneyFormat: one workspace’s money', () => {
  it('shows a money property as money in the workspace currency, or in the event’s own', () => {
    const money = moneyFormat({ currency: 'CNY', marks: null, language: 'zh-CN' })
    expect(money.formatProperty('price', 6800)).toBe('¥68.00')
    expect(money.formatProperty('price', 6800, 'USD')).toBe('$68.00')
    expect(money.formatProperty('price', 6800, 'not a code')).toBe('¥68.00')
    expect(money.formatProperty('quantity', 6800)).toBe('6,800')
    expect(money.formatProperty('total', 'n/a')).toBe('n/a')
    expect(money.formatProperty('products', [{ a: 1 }])).toBe('[{"a":1}]')
  })

  it('uses the workspace currency when it is not yuan', () => {
    const money = moneyFormat({ currency: 'USD', marks: new Set(['balance']), language: 'en-US' })
    expect(money.format(250)).toBe('$2.50')
    expect(money.formatProperty('balance', 250)).toBe('$2.50')
  })
})
