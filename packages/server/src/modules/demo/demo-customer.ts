/**
 * The customers of the demo chain: they sign up over a year, wash at their own rhythm with seasons
 * (more in summer and before the Spring Festival, less in the rainy weeks), buy monthly and annual
 * cards, use coupons, browse the app, and sometimes drift away. Deterministic for a seed, so demos
 * and benchmarks are repeatable. Yields Segment calls ready for the ingestion path.
 */
import { CITIES, DAY, GIVEN, random, season, SERVICES, STAFF, STORES, SURNAMES } from './demo-chain.js'

export interface DemoOptions {
  customers: number
  end: Date
  seed?: number
}

type Call = Record<string, unknown>

/** Who a customer is and how they behave; `rnd` is their own random stream, drawn in a fixed order. */
interface Persona {
  index: number
  rnd: () => number
  pick: <T>(list: readonly T[]) => T
  signUp: number
  store: (typeof STORES)[number]
  city: (typeof CITIES)[number]
  userId: string
  anonymousId: string
  plate: string
  washesPerMonth: number
  churnAt: number
  identify: Call
}

/** What changes as a customer comes back: the card they hold, whether they used the welcome coupon, how many orders. */
interface Visits {
  card: { until: number; kind: string } | null
  usedWelcome: boolean
  order: number
}

const at = (ms: number) => new Date(ms).toISOString()
const CONTEXT = { app: { name: '洗车小程序' }, ip: '0.0.0.0' }

function persona(index: number, options: DemoOptions): Persona {
  const rnd = random((options.seed ?? 7) * 1_000_003 + index)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const startMs = options.end.getTime() - 365 * DAY
  // More sign-ups in spring and summer.
  const signUp = startMs + Math.floor(Math.sqrt(rnd()) * 360 * DAY)
  const store = pick(STORES)
  const city = CITIES.find((c) => c.name === store.city)!
  const userId = `cw-${String(index + 1).padStart(6, '0')}`
  const anonymousId = `app-${index.toString(36)}-${Math.floor(rnd() * 1e9).toString(36)}`
  const hasPhone = rnd() < 0.85
  const phone = `+86${pick(['138', '139', '150', '186', '177'])}${String(10_000_000 + Math.floor(rnd() * 89_999_999)).slice(0, 8)}`
  const name = `${pick(SURNAMES)}${pick(GIVEN)}${rnd() < 0.5 ? pick(GIVEN) : ''}`
  const plate = `${city.plate}${String.fromCharCode(65 + Math.floor(rnd() * 8))}${Math.floor(10000 + rnd() * 89999)}`
  const segment = rnd()
  const washesPerMonth = segment < 0.2 ? 2 + rnd() * 1.5 : segment < 0.6 ? 0.6 + rnd() * 0.8 : 0.1 + rnd() * 0.3
  const churnAt = rnd() < 0.22 ? signUp + Math.floor((30 + rnd() * 240) * DAY) : Infinity
  const birthday = `${1965 + Math.floor(rnd() * 40)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`
  const traits = {
    name,
    city: city.name,
    birthday,
    vehicle_plate: plate,
    createdAt: at(signUp),
    member_level: 'basic',
    ...(hasPhone ? { phone } : {}),
  }
  const identify = { type: 'identify', anonymousId, userId, traits, timestamp: at(signUp), context: CONTEXT }
  return { index, rnd, pick, signUp, store, city, userId, anonymousId, plate, washesPerMonth, churnAt, identify }
}

/** Found us in the mini program, then registered. */
function* signUpCalls(p: Persona): Generator<Call> {
  const { anonymousId, userId, signUp, store } = p
  const properties = { path: '/stores', city: p.city.name }
  yield { type: 'page', anonymousId, name: '门店列表', properties, timestamp: at(signUp - 600_000), context: CONTEXT }
  const viewed = { product_id: 'wash-premium', price: 6800, currency: 'CNY', store_id: store.id }
  yield { type: 'track', anonymousId, event: 'Product Viewed', properties: viewed, timestamp: at(signUp - 300_000), context: CONTEXT }
  yield p.identify
  const signedUp = { method: p.pick(['wechat', 'phone']), channel_code: `store-${store.id}` }
  yield { type: 'track', userId, event: 'Signed Up', properties: signedUp, timestamp: at(signUp + 1000) }
  const coupon = { coupon: 'WELCOME20', coupon_template_id: 'welcome' }
  yield { type: 'track', userId, event: 'Coupon Received', properties: coupon, timestamp: at(signUp + 2000) }
}

/** A loyal washer buys a card after a few visits. */
function* cardPurchase(p: Persona, v: Visits, visit: number): Generator<Call> {
  if (v.card || p.washesPerMonth <= 1.5 || v.order <= 2 || !(p.rnd() < 0.25)) return
  const annual = p.rnd() < 0.3
  v.card = { until: visit + (annual ? 365 : 30) * DAY, kind: annual ? 'annual' : 'monthly' }
  const properties = {
    card_id: `card-${p.index}-${v.order}`,
    card_type: v.card.kind,
    total: annual ? 99_900 : 19_900,
    currency: 'CNY',
    uses: annual ? 100 : 8,
    valid_until: at(v.card.until),
    store_id: p.store.id,
    store_name: p.store.name,
  }
  yield { type: 'track', userId: p.userId, event: 'Card Purchased', properties, timestamp: at(visit + 60_000) }
}

/** A visit's order: services, a coupon or the card, the payment. */
function* orderCalls(p: Persona, v: Visits, visit: number, staffId: string): Generator<Call> {
  const { rnd, pick, userId, index } = p
  const service = rnd() < 0.7 ? SERVICES[0]! : pick(SERVICES.slice(1, 4))
  const extra = rnd() < 0.15 ? [pick(SERVICES.slice(2, 4))] : []
  const products = [service, ...extra].map((s) => ({ product_id: s.id, name: s.name, price: s.price, quantity: 1 }))
  const subtotal = products.reduce((sum, item) => sum + item.price, 0)
  const coupon = !v.usedWelcome && rnd() < 0.6 ? 'WELCOME20' : rnd() < 0.05 ? 'SUMMER10' : undefined
  if (coupon === 'WELCOME20') v.usedWelcome = true
  const discount = v.card ? service.price : coupon === 'WELCOME20' ? Math.min(2000, subtotal) : coupon ? Math.round(subtotal * 0.1) : 0
  const orderId = `SO-${index}-${v.order}`
  const order = {
    order_id: orderId,
    total: subtotal - discount,
    subtotal,
    discount,
    currency: 'CNY',
    products,
    store_id: p.store.id,
    store_name: p.store.name,
    staff_id: staffId,
    payment_method: v.card ? 'card' : pick(['wechat_pay', 'alipay']),
    ...(coupon ? { coupon } : {}),
    ...(v.card ? { card_id: `card-${index}` } : {}),
  }
  yield { type: 'track', userId, event: 'Order Completed', properties: order, timestamp: at(visit + 1_800_000) }
  if (coupon) {
    const redeemed = { coupon, order_id: orderId, discount, currency: 'CNY' }
    yield { type: 'track', userId, event: 'Coupon Redeemed', properties: redeemed, timestamp: at(visit + 1_800_500) }
  }
  const done = {
    service: service.id,
    order_id: orderId,
    store_id: p.store.id,
    store_name: p.store.name,
    staff_id: staffId,
    vehicle_plate: p.plate,
  }
  yield { type: 'track', userId, event: 'Service Completed', properties: done, timestamp: at(visit + 2_400_000) }
}

/** A wash at the customer's store: the visit, perhaps a card, the order, and now and then a lead for the staff. */
function* visitCalls(p: Persona, v: Visits, day: number): Generator<Call> {
  const { rnd, pick, userId, store } = p
  const visit = day + (9 + rnd() * 10) * 3_600_000
  const staff = STAFF.filter((s) => s.storeId === store.id)[Math.floor(rnd() * 3)]!
  yield {
    type: 'track',
    userId,
    event: 'Store Visited',
    properties: { store_id: store.id, store_name: store.name, city: p.city.name },
    timestamp: at(visit),
  }
  yield* cardPurchase(p, v, visit)
  if (v.card && v.card.until < visit) v.card = null
  v.order += 1
  yield* orderCalls(p, v, visit, staff.id)
  if (rnd() < 0.04) {
    const interest = pick(['tyres', 'brake pads', 'insurance', 'annual card'])
    const lead = { lead_id: `lead-${p.index}-${v.order}`, interest, staff_id: staff.id, store_id: store.id }
    yield { type: 'track', userId, event: 'Lead Captured', properties: lead, timestamp: at(visit + 2_500_000) }
  }
}

/** One customer's calls, in time order. */
export function* demoCustomer(index: number, options: DemoOptions): Generator<Call> {
  const p = persona(index, options)
  const { rnd, pick } = p
  yield* signUpCalls(p)
  const v: Visits = { card: null, usedWelcome: false, order: 0 }
  let day = p.signUp + DAY * (1 + rnd() * 5)
  // Stop a day early: a visit or an app open falls later in its day, and nothing may lie in the future.
  while (day + DAY < Math.min(options.end.getTime(), p.churnAt)) {
    if (rnd() < (p.washesPerMonth / 30) * season(new Date(day))) yield* visitCalls(p, v, day)
    // Between washes, some open the mini program.
    if (rnd() < 0.015) {
      const page = pick(['会员中心', '我的卡券', '门店列表'])
      yield {
        type: 'page',
        userId: p.userId,
        name: page,
        properties: { path: pick(['/member', '/coupons', '/stores']) },
        timestamp: at(day + 20 * 3_600_000),
        context: CONTEXT,
      }
    }
    day += DAY
  }
}

/** Every customer's calls, customer after customer. */
export function* demoEvents(options: DemoOptions): Generator<Call> {
  for (let i = 0; i < options.customers; i++) yield* demoCustomer(i, options)
}
