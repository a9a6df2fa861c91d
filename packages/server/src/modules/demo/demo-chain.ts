/**
 * A realistic car-wash and car-care chain for the demo workspace: stores in five cities, staff,
 * customers who sign up over a year, wash at their own rhythm with seasons (more in summer and
 * before the Spring Festival, less in the rainy weeks), buy monthly and annual cards, use coupons,
 * browse the app, and sometimes drift away. Deterministic for a seed, so demos and benchmarks
 * are repeatable. Yields Segment calls ready for the ingestion path.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const CITIES = [
  { name: '重庆', code: 'cq', plate: '渝' },
  { name: '成都', code: 'cd', plate: '川' },
  { name: '西安', code: 'xa', plate: '陕' },
  { name: '武汉', code: 'wh', plate: '鄂' },
  { name: '昆明', code: 'km', plate: '云' },
] as const

export const STORES = CITIES.flatMap((city, c) =>
  Array.from({ length: 3 + (c % 2) }, (_, i) => ({
    id: `${city.code}-${i + 1}`,
    city: city.name,
    name: `${city.name}${['解放碑', '观音桥', '南坪', '高新'][i]}店`,
  })),
)
export const STAFF = STORES.flatMap((store) => Array.from({ length: 3 }, (_, i) => ({ id: `${store.id}-s${i + 1}`, storeId: store.id })))

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡']
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞', '平', '刚']
const SERVICES = [
  { id: 'wash-basic', name: '标准洗车', price: 3000 },
  { id: 'wash-premium', name: '精洗', price: 6800 },
  { id: 'wax', name: '打蜡', price: 12800 },
  { id: 'interior', name: '内饰清洁', price: 9800 },
  { id: 'tyre-check', name: '轮胎检查', price: 0 },
]
const DAY = 86_400_000

/** How much more or less people wash in a week of the year (0 = first week). */
function season(day: Date): number {
  const month = day.getUTCMonth()
  const summer = month >= 5 && month <= 7 ? 1.35 : 1
  const rainy = month === 8 ? 0.75 : 1
  const springFestival = month === 0 && day.getUTCDate() > 15 ? 1.6 : 1
  return summer * rainy * springFestival
}

export interface DemoOptions {
  customers: number
  end: Date
  seed?: number
}

/** One customer's calls, in time order. */
export function* demoCustomer(index: number, options: DemoOptions): Generator<Record<string, unknown>> {
  const rnd = random((options.seed ?? 7) * 1_000_003 + index)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const endMs = options.end.getTime()
  const startMs = endMs - 365 * DAY
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
  const at = (ms: number) => new Date(ms).toISOString()
  const context = { app: { name: '洗车小程序' }, ip: '0.0.0.0' }

  // Found us in the mini program, then registered.
  yield {
    type: 'page',
    anonymousId,
    name: '门店列表',
    properties: { path: '/stores', city: city.name },
    timestamp: at(signUp - 600_000),
    context,
  }
  yield {
    type: 'track',
    anonymousId,
    event: 'Product Viewed',
    properties: { product_id: 'wash-premium', price: 6800, currency: 'CNY', store_id: store.id },
    timestamp: at(signUp - 300_000),
    context,
  }
  yield {
    type: 'identify',
    anonymousId,
    userId,
    traits: {
      name,
      city: city.name,
      birthday,
      vehicle_plate: plate,
      createdAt: at(signUp),
      member_level: 'basic',
      ...(hasPhone ? { phone } : {}),
    },
    timestamp: at(signUp),
    context,
  }
  yield {
    type: 'track',
    userId,
    event: 'Signed Up',
    properties: { method: pick(['wechat', 'phone']), channel_code: `store-${store.id}` },
    timestamp: at(signUp + 1000),
  }
  yield {
    type: 'track',
    userId,
    event: 'Coupon Received',
    properties: { coupon: 'WELCOME20', coupon_template_id: 'welcome' },
    timestamp: at(signUp + 2000),
  }

  let card: { until: number; kind: string } | null = null
  let usedWelcome = false
  let day = signUp + DAY * (1 + rnd() * 5)
  let order = 0
  // Stop a day early: a visit or an app open falls later in its day, and nothing may lie in the future.
  while (day + DAY < Math.min(endMs, churnAt)) {
    const date = new Date(day)
    if (rnd() < (washesPerMonth / 30) * season(date)) {
      const visit = day + (9 + rnd() * 10) * 3_600_000
      const staff = STAFF.filter((s) => s.storeId === store.id)[Math.floor(rnd() * 3)]!
      yield { type: 'track', userId, event: 'Store Visited', properties: { store_id: store.id, city: city.name }, timestamp: at(visit) }
      // A loyal washer buys a card after a few visits.
      if (!card && washesPerMonth > 1.5 && order > 2 && rnd() < 0.25) {
        const annual = rnd() < 0.3
        card = { until: visit + (annual ? 365 : 30) * DAY, kind: annual ? 'annual' : 'monthly' }
        yield {
          type: 'track',
          userId,
          event: 'Card Purchased',
          properties: {
            card_id: `card-${index}-${order}`,
            card_type: card.kind,
            total: annual ? 99_900 : 19_900,
            currency: 'CNY',
            uses: annual ? 100 : 8,
            valid_until: at(card.until),
            store_id: store.id,
          },
          timestamp: at(visit + 60_000),
        }
      }
      if (card && card.until < visit) card = null
      order += 1
      const service = rnd() < 0.7 ? SERVICES[0]! : pick(SERVICES.slice(1, 4))
      const extra = rnd() < 0.15 ? [pick(SERVICES.slice(2, 4))] : []
      const products = [service, ...extra].map((s) => ({ product_id: s.id, name: s.name, price: s.price, quantity: 1 }))
      const subtotal = products.reduce((sum, p) => sum + p.price, 0)
      const coupon = !usedWelcome && rnd() < 0.6 ? 'WELCOME20' : rnd() < 0.05 ? 'SUMMER10' : undefined
      if (coupon === 'WELCOME20') usedWelcome = true
      const discount = card ? service.price : coupon === 'WELCOME20' ? Math.min(2000, subtotal) : coupon ? Math.round(subtotal * 0.1) : 0
      const orderId = `SO-${index}-${order}`
      yield {
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: {
          order_id: orderId,
          total: subtotal - discount,
          subtotal,
          discount,
          currency: 'CNY',
          products,
          store_id: store.id,
          staff_id: staff.id,
          payment_method: card ? 'card' : pick(['wechat_pay', 'alipay']),
          ...(coupon ? { coupon } : {}),
          ...(card ? { card_id: `card-${index}` } : {}),
        },
        timestamp: at(visit + 1_800_000),
      }
      if (coupon)
        yield {
          type: 'track',
          userId,
          event: 'Coupon Redeemed',
          properties: { coupon, order_id: orderId, discount, currency: 'CNY' },
          timestamp: at(visit + 1_800_500),
        }
      yield {
        type: 'track',
        userId,
        event: 'Service Completed',
        properties: { service: service.id, order_id: orderId, store_id: store.id, staff_id: staff.id, vehicle_plate: plate },
        timestamp: at(visit + 2_400_000),
      }
      if (rnd() < 0.04)
        yield {
          type: 'track',
          userId,
          event: 'Lead Captured',
          properties: {
            lead_id: `lead-${index}-${order}`,
            interest: pick(['tyres', 'brake pads', 'insurance', 'annual card']),
            staff_id: staff.id,
            store_id: store.id,
          },
          timestamp: at(visit + 2_500_000),
        }
    }
    // Between washes, some open the mini program.
    if (rnd() < 0.015)
      yield {
        type: 'page',
        userId,
        name: pick(['会员中心', '我的卡券', '门店列表']),
        properties: { path: pick(['/member', '/coupons', '/stores']) },
        timestamp: at(day + 20 * 3_600_000),
        context,
      }
    day += DAY
  }
}

/** Every customer's calls, customer after customer. */
export function* demoEvents(options: DemoOptions): Generator<Record<string, unknown>> {
  for (let i = 0; i < options.customers; i++) yield* demoCustomer(i, options)
}
