import { PROFILE_CREATED, PROFILES_MERGED, type TimelineEvent } from '@reachloop/domain'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import type { MoneyFormat } from '../../shared/money.js'

/** One piece of an event told in words: an amount, a name to notice (tag), an id (code) or plain words. */
export type WordPart =
  | { kind: 'money'; text: string }
  | { kind: 'tag'; text: string; color?: string }
  | { kind: 'code'; text: string }
  | { kind: 'text'; text: string }

/** An event told in words: what happened (the title) and its details. */
export interface EventWords {
  title: string
  parts: WordPart[]
}

/** What the wording needs: the reader's language and translations, and the workspace's money. */
export interface WordsContext {
  t: Translate
  tMaybe(key: string, fallback: string): string
  language: Language
  money: MoneyFormat
  /** What the catalogue says of an event, by name (shown for events without words of their own). */
  describe?: (name: string) => string | undefined
}

type Props = Record<string, unknown>
type Teller = (p: Props, c: WordsContext, event: TimelineEvent) => WordPart[]

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined
const first = (p: Props, ...keys: string[]) => keys.map((k) => text(p[k])).find((v) => v !== undefined)
const words = (s: string | undefined): WordPart[] => (s === undefined ? [] : [{ kind: 'text', text: s }])
/** A known value (a payment method, a card type, a service id…) in words, or as it is. */
const label = (c: WordsContext, value: string) => c.tMaybe(`timeline.value.${value}`, value)

/** An amount of the event (minor units) as money, with a label message around it. */
function amount(c: WordsContext, p: Props, key: string, around?: 'timeline.discount' | 'timeline.refund' | 'timeline.price'): WordPart[] {
  const value = p[key]
  if (typeof value !== 'number') return []
  const shown = c.money.format(value, p.currency)
  return [{ kind: 'money', text: around ? c.t(around, { amount: shown }) : shown }]
}

const store = (c: WordsContext, p: Props) => {
  const name = first(p, 'store_name', 'store_id')
  return words(name && c.t('timeline.store', { store: name }))
}
const staff = (c: WordsContext, p: Props) => {
  const name = first(p, 'staff_name', 'staff_id')
  return words(name && c.t('timeline.staff', { staff: name }))
}
const orderId = (c: WordsContext, p: Props): WordPart[] => {
  const id = text(p.order_id)
  return id ? [{ kind: 'code', text: c.t('timeline.order.id', { id }) }] : []
}
const coupon = (c: WordsContext, p: Props): WordPart[] => {
  const name = first(p, 'coupon_name', 'coupon', 'coupon_id', 'coupon_template_id')
  return name ? [{ kind: 'tag', color: 'gold', text: `${c.t('timeline.coupon')} ${name}` }] : []
}
const reason = (c: WordsContext, p: Props) => {
  const why = text(p.reason)
  return words(why && c.t('timeline.reason', { reason: why }))
}
const via = (c: WordsContext, p: Props, key: string, message: 'timeline.via' | 'timeline.payment') => {
  const method = text(p[key])
  return words(method && c.t(message, { method: label(c, method) }))
}
const channel = (c: WordsContext, p: Props): WordPart[] => {
  const name = text(p.channel)
  return name ? [{ kind: 'tag', text: label(c, name) }] : []
}

/** A product's name (or its id in words), its price and how many. */
const product = (c: WordsContext, p: Props): WordPart[] => {
  const name = text(p.name) ?? (text(p.product_id) && label(c, text(p.product_id)!))
  const quantity = typeof p.quantity === 'number' && p.quantity !== 1 ? words(c.t('timeline.quantity', { quantity: p.quantity })) : []
  return [...(name ? [{ kind: 'tag', color: 'blue', text: name } as const] : []), ...amount(c, p, 'price', 'timeline.price'), ...quantity]
}

/** The products of an order: how many, and their names. */
const products = (c: WordsContext, p: Props): WordPart[] => {
  if (!Array.isArray(p.products) || p.products.length === 0) return []
  const names = p.products
    .map((item: unknown) => (typeof item === 'object' && item ? first(item as Props, 'name', 'product_id') : undefined))
    .filter((n): n is string => n !== undefined)
    .map((n) => label(c, n))
  const zh = c.language === 'zh-CN'
  const list = names.length > 0 ? `${zh ? '：' : ': '}${names.join(zh ? '、' : ', ')}` : ''
  const count = p.products.length === 1 ? c.t('timeline.oneItem') : `${p.products.length} ${c.t('timeline.items')}`
  return words(`${count}${list}`)
}

const date = (c: WordsContext, value: unknown) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value))
    ? new Date(value).toLocaleDateString(c.language, { dateStyle: 'medium', timeZone: c.money.timeZone })
    : undefined

const order: Teller = (p, c) => [
  ...amount(c, p, 'total'),
  ...products(c, p),
  ...(typeof p.discount === 'number' && p.discount > 0 ? amount(c, p, 'discount', 'timeline.discount') : []),
  ...coupon(c, p),
  ...via(c, p, 'payment_method', 'timeline.payment'),
  ...store(c, p),
  ...staff(c, p),
  ...orderId(c, p),
]

/** The standard events of docs/events.md: the title's message and how the details are told. */
const STANDARD: Record<string, [MessageKey, Teller]> = {
  'Signed Up': [
    'timeline.signedUp',
    (p, c) => {
      const code = text(p.channel_code)
      return [...via(c, p, 'method', 'timeline.via'), ...words(code && c.t('timeline.channelCode', { channel: code }))]
    },
  ],
  'Signed In': ['timeline.signedIn', (p, c) => via(c, p, 'method', 'timeline.via')],
  'Product Viewed': ['timeline.productViewed', (p, c) => [...product(c, p), ...store(c, p)]],
  'Product Added': ['timeline.productAdded', (p, c) => product(c, p)],
  'Product Removed': ['timeline.productRemoved', (p, c) => product(c, p)],
  'Checkout Started': [
    'timeline.checkoutStarted',
    (p, c) => [...amount(c, p, 'total'), ...products(c, p), ...coupon(c, p), ...store(c, p)],
  ],
  'Order Completed': ['timeline.order', order],
  'Order Refunded': ['timeline.orderRefunded', (p, c) => [...amount(c, p, 'total', 'timeline.refund'), ...reason(c, p), ...orderId(c, p)]],
  'Order Cancelled': ['timeline.orderCancelled', (p, c) => [...amount(c, p, 'total'), ...reason(c, p), ...orderId(c, p)]],
  'Coupon Received': ['timeline.couponReceived', (p, c) => coupon(c, p)],
  'Coupon Redeemed': [
    'timeline.couponRedeemed',
    (p, c) => [...coupon(c, p), ...amount(c, p, 'discount', 'timeline.discount'), ...orderId(c, p)],
  ],
  'Card Purchased': [
    'timeline.cardPurchased',
    (p, c) => {
      const kind = text(p.card_type)
      const until = date(c, p.valid_until)
      return [
        ...(kind ? [{ kind: 'tag', color: 'purple', text: label(c, kind) } as const] : []),
        ...amount(c, p, 'total'),
        ...(typeof p.uses === 'number' ? words(c.t('timeline.uses', { uses: p.uses })) : []),
        ...words(until && c.t('timeline.validUntil', { date: until })),
        ...store(c, p),
      ]
    },
  ],
  'Service Completed': [
    'timeline.serviceCompleted',
    (p, c) => {
      const service = text(p.service)
      const plate = text(p.vehicle_plate)
      return [
        ...(service ? [{ kind: 'tag', color: 'blue', text: label(c, service) } as const] : []),
        ...words(plate && c.t('timeline.vehicle', { plate })),
        ...store(c, p),
        ...staff(c, p),
        ...orderId(c, p),
      ]
    },
  ],
  'Store Visited': [
    'timeline.storeVisited',
    (p, c) => {
      const city = text(p.city)
      return [...store(c, p), ...words(city && c.t('timeline.city', { city }))]
    },
  ],
  'Lead Captured': [
    'timeline.leadCaptured',
    (p, c) => {
      const interest = text(p.interest)
      return [...words(interest && c.t('timeline.interest', { interest: label(c, interest) })), ...staff(c, p), ...store(c, p)]
    },
  ],
  'Message Sent': ['timeline.messageSent', (p, c) => channel(c, p)],
  'Message Delivered': ['timeline.messageDelivered', (p, c) => channel(c, p)],
  'Message Opened': ['timeline.messageOpened', (p, c) => channel(c, p)],
  'Message Clicked': ['timeline.messageClicked', (p, c) => [...channel(c, p), ...words(text(p.url))]],
  // The rules' reasons (no_consent, capped…) in the message log's words; a provider's code as it is.
  'Message Failed': [
    'timeline.messageFailed',
    (p, c) => {
      const why = text(p.reason)
      return [...channel(c, p), ...words(why && c.t('timeline.reason', { reason: c.tMaybe(`messageLog.reason.${why}`, why) }))]
    },
  ],
  Unsubscribed: [
    'timeline.unsubscribed',
    (p, c) => {
      const source = text(p.source)
      return [...channel(c, p), ...words(source && c.tMaybe(`profileConsent.source.${source}`, source))]
    },
  ],
  'Segment Entered': ['timeline.segmentEntered', (p) => audience(p, 'segment', true)],
  'Segment Exited': ['timeline.segmentExited', (p) => audience(p, 'segment', false)],
  'Tag Added': ['timeline.tagAdded', (p) => audience(p, 'tag', true)],
  'Tag Removed': ['timeline.tagRemoved', (p) => audience(p, 'tag', false)],
  // Every consent change (segments on consent follow it): the channel, the new state and where it came from.
  'Subscription Changed': [
    'timeline.subscriptionChanged',
    (p, c) => {
      const [state, source] = [text(p.state), text(p.source)]
      return [
        ...channel(c, p),
        ...words(state && c.tMaybe(`timeline.consent.${state}`, state)),
        ...words(source && c.tMaybe(`profileConsent.source.${source}`, source)),
      ]
    },
  ],
  [PROFILE_CREATED]: ['timeline.profileCreated', () => []],
  [PROFILES_MERGED]: [
    'timeline.profilesMerged',
    (p, c) => {
      const merged = text(p.merged_profile_id)
      return [
        { kind: 'tag', text: c.t(p.by === 'hand' ? 'timeline.mergedByHand' : 'timeline.mergedByIngestion') },
        ...(merged ? [{ kind: 'code', text: c.t('timeline.mergedProfile', { id: merged.slice(0, 8) }) } as const] : []),
      ]
    },
  ],
}

/** A segment or tag entered or left, by its name (its id only when the event has no name). */
function audience(p: Props, kind: 'segment' | 'tag', entered: boolean): WordPart[] {
  const name = first(p, `${kind}_name`, `${kind}_id`)
  return name ? [{ kind: 'tag', color: entered ? 'green' : 'default', text: name }] : []
}

/** Any other event: its name (or the catalogue's description) and its first properties, money as money. */
function otherEvent(event: TimelineEvent, c: WordsContext): EventWords {
  const name = event.name ?? event.type
  const p = event.properties
  const parts = Object.entries(p)
    .filter(([k]) => k !== 'currency')
    .slice(0, 6)
    .map(([k, v]): WordPart => {
      const shown = c.money.formatProperty(k, v, p.currency)
      return { kind: typeof v === 'number' && c.money.isMoney(k) ? 'money' : 'text', text: `${k}: ${shown}` }
    })
  const description = event.name ? c.describe?.(event.name) : undefined
  return { title: description ? `${description} (${name})` : name, parts }
}

/** An event of a profile's timeline in words, in the reader's language: what happened and its details. */
export function describeEvent(event: TimelineEvent, c: WordsContext): EventWords {
  const p = event.properties
  if (event.type === 'page' || event.type === 'screen') {
    const path = text(p.path)
    return {
      title: c.t(event.type === 'page' ? 'timeline.page' : 'timeline.screen'),
      parts: [...words(event.name ?? undefined), ...(path ? [{ kind: 'code', text: path } as const] : [])],
    }
  }
  if (event.type === 'identify')
    return { title: c.t('timeline.identify'), parts: Object.keys(event.traits).map((k) => ({ kind: 'tag', text: k })) }
  if (event.type === 'alias') return { title: c.t('timeline.alias'), parts: [] }
  if (event.type === 'group') return { title: c.t('timeline.group'), parts: words(text(event.traits.name)) }
  const standard = event.type === 'track' && event.name ? STANDARD[event.name] : undefined
  if (standard) return { title: c.t(standard[0]), parts: standard[1](p, c, event) }
  return otherEvent(event, c)
}
