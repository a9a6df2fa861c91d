import type { ComputedDefinition } from '@reachloop/domain'

/**
 * Money in the console. Amounts are integers in minor units (fen: 88.00 CNY is `8800`), in the
 * workspace's currency unless the event names its own `currency` (docs/events.md).
 *
 * A property or trait is money when the catalogue marks it so, or when its name says so: the last
 * word of its name (split at `.`, `_`, `-`, spaces and camelCase) is one of `MONEY_WORDS`. So
 * `total`, `order_total`, `products.price`, `unitPrice` and `shipping` are money; `total_uses`,
 * `discount_rate` and `price_tier` are not.
 */
export const MONEY_WORDS = ['total', 'subtotal', 'revenue', 'price', 'discount', 'shipping', 'tax', 'value', 'amount'] as const

const WORDS = new Set<string>(MONEY_WORDS)

/** The words of a property name, lower-cased: `products.unitPrice` → products, unit, price. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._\-[\]]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** True when a property's name says it holds money (its last word is a money word). */
export function isMoneyName(name: string): boolean {
  const words = nameWords(name)
  const last = words[words.length - 1]
  return last !== undefined && WORDS.has(last)
}

/** The names the catalogue marks money; `null` while unknown (then names alone decide). */
export type MoneyMarks = ReadonlySet<string> | null

/**
 * True when a property is money: the catalogue marks it (by its full path or its last part), or
 * its name says so.
 */
export function isMoneyProperty(name: string, marks: MoneyMarks): boolean {
  if (marks && (marks.has(name) || marks.has(name.split('.').pop() ?? name))) return true
  return isMoneyName(name)
}

/** How many minor units a currency's major unit has: 100 for CNY and USD, 1 for JPY. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/** An amount in minor units as major ones (8800 fen: 88), and back, rounded to the minor unit (88.005 yuan: 8801 fen). */
export const majorOf = (minor: number, currency: string): number => minor / 10 ** minorDigits(currency)
export const minorOf = (major: number, currency: string): number => Math.round(major * 10 ** minorDigits(currency))

/** The narrow symbol of a currency in a language ("¥", "$"), or its code. */
export function currencySymbol(currency: string, language: string): string {
  try {
    const parts = new Intl.NumberFormat(language, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0)
    return parts.find((p) => p.type === 'currency')?.value ?? currency
  } catch {
    return currency
  }
}

/** A valid ISO 4217 code, else the fallback. */
export function currencyOr(currency: unknown, fallback: string): string {
  return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : fallback
}

/**
 * An amount in minor units as the reader writes money: `formatMoney(6000, 'CNY', 'zh-CN')` is
 * "¥60.00", `formatMoney(-300, 'USD', 'en-US')` is "-$3.00". The symbol is the narrow one (the
 * workspace has one currency, so "¥" rather than "CN¥").
 */
export function formatMoney(minor: number, currency: string, language: string): string {
  const digits = minorDigits(currency)
  const major = majorOf(minor, currency)
  try {
    return new Intl.NumberFormat(language, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major)
  } catch {
    return `${major.toFixed(digits)} ${currency}`
  }
}

/** What a computed property keeps is money: a sum, average, minimum, maximum, first or last of a money property. */
export function isMoneyDefinition(definition: ComputedDefinition, isMoney: (name: string) => boolean): boolean {
  return definition.kind === 'aggregate' && definition.aggregate !== 'count' && !!definition.property && isMoney(definition.property)
}

/** How the console shows money for one workspace and reader. */
export interface MoneyFormat {
  /** The workspace's currency (ISO 4217). */
  currency: string
  /** The workspace's time zone, when known. */
  timeZone: string | undefined
  isMoney(name: string): boolean
  /** An amount in minor units, in `currency` when it is a valid code, else the workspace's. */
  format(minor: number, currency?: unknown): string
  /** A property's value as a person reads it: money when the property is money and the value a number, else its text. */
  formatProperty(name: string, value: unknown, currency?: unknown): string
}

/** A value as short text: strings as they are, numbers in the reader's language, objects as JSON. */
export function valueText(value: unknown, language: string): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return value.toLocaleString(language, { maximumFractionDigits: 2 })
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The money formatter of a workspace (its currency and catalogue marks) for a reader's language. */
export function moneyFormat(options: { currency: string; marks: MoneyMarks; language: string; timeZone?: string }): MoneyFormat {
  const { currency, marks, language } = options
  const isMoney = (name: string) => isMoneyProperty(name, marks)
  const format = (minor: number, own?: unknown) => formatMoney(minor, currencyOr(own, currency), language)
  return {
    currency,
    timeZone: options.timeZone,
    isMoney,
    format,
    formatProperty: (name, value, own) => (typeof value === 'number' && isMoney(name) ? format(value, own) : valueText(value, language)),
  }
}
