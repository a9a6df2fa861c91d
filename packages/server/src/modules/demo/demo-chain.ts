/** The demo's car-wash and car-care chain: its cities, stores, staff and services, and its seasons. */

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

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡']
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞', '平', '刚']
export const SERVICES = [
  { id: 'wash-basic', name: '标准洗车', price: 3000 },
  { id: 'wash-premium', name: '精洗', price: 6800 },
  { id: 'wax', name: '打蜡', price: 12800 },
  { id: 'interior', name: '内饰清洁', price: 9800 },
  { id: 'tyre-check', name: '轮胎检查', price: 0 },
]
export const DAY = 86_400_000

/** How much more or less people wash in a week of the year (0 = first week). */
export function season(day: Date): number {
  const month = day.getUTCMonth()
  const summer = month >= 5 && month <= 7 ? 1.35 : 1
  const rainy = month === 8 ? 0.75 : 1
  const springFestival = month === 0 && day.getUTCDate() > 15 ? 1.6 : 1
  return summer * rainy * springFestival
}
