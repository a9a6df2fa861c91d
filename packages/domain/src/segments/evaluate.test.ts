import { describe, expect, it } from 'vitest'
import { evaluateSegment, type FactEvent, type ProfileFacts } from './evaluate.js'
import { checkDefinition, changesWithTime, type SegmentNode } from './segment-definition.js'

const NOW = Date.parse('2026-06-15T20:00:00Z') // June 16 04:00 in Shanghai, June 15 16:00 in New York
const DAY = 86_400_000
const context = { now: NOW, timeZone: 'Asia/Shanghai', isTimeZone: (z: string) => ['Asia/Shanghai', 'America/New_York'].includes(z) }
let nextId = 0
const event = (name: string, msAgo: number, properties: Record<string, unknown> = {}, sourceId: string | null = null): FactEvent => ({
  id: ++nextId,
  name,
  timestamp: NOW - msAgo,
  sourceId,
  properties,
})
const profile = (over: Partial<ProfileFacts> = {}): ProfileFacts => ({
  traits: {},
  identifierTypes: new Set(),
  tags: new Set(),
  segments: new Set(),
  events: [],
  computed: new Map(),
  consents: new Map(),
  ...over,
})
const is = (definition: SegmentNode, facts: ProfileFacts) => {
  expect(checkDefinition(definition)).toEqual([])
  return evaluateSegment(definition, facts, context)
}

describe('segment conditions, at their edges', () => {
  it('traits: strings, numbers, booleans, lists, by type only', () => {
    const p = profile({ traits: { city: 'Chongqing', spend: '120', vip: true, labels: ['vip'], address: { city: 'Chengdu' } } })
    expect(is({ kind: 'trait', trait: 'city', type: 'string', op: 'contains', value: 'chong' }, p)).toBe(true)
    expect(is({ kind: 'trait', trait: 'city', type: 'string', op: 'starts_with', value: 'chong' }, p)).toBe(false)
    expect(is({ kind: 'trait', trait: 'address.city', type: 'string', op: 'in', values: ['Chengdu', 'Xian'] }, p)).toBe(true)
    expect(is({ kind: 'trait', trait: 'spend', type: 'number', op: 'between', min: 120, max: 120 }, p)).toBe(true)
    expect(is({ kind: 'trait', trait: 'spend', type: 'string', op: 'equals', value: '120' }, p)).toBe(true)
    expect(is({ kind: 'trait', trait: 'vip', type: 'boolean', op: 'is_true' }, p)).toBe(true)
    expect(is({ kind: 'trait', trait: 'vip', type: 'string', op: 'exists' }, p)).toBe(false)
    expect(is({ kind: 'trait', trait: 'labels', type: 'list', op: 'list_contains', value: 'vip' }, p)).toBe(true)
    // A missing trait fails every test but not_exists (not_equals included).
    expect(is({ kind: 'trait', trait: 'name', type: 'string', op: 'not_equals', value: 'x' }, p)).toBe(false)
    expect(is({ kind: 'trait', trait: 'name', type: 'string', op: 'not_exists' }, p)).toBe(true)
  })

  it("dates: relative windows end exactly at N days; a bare date is midnight in the profile's zone", () => {
    const signup = (value: string, timezone?: string) => profile({ traits: { signup: value, ...(timezone ? { timezone } : {}) } })
    const lastWeek: SegmentNode = { kind: 'trait', trait: 'signup', type: 'date', op: 'within_last_days', days: 7 }
    expect(is(lastWeek, signup(new Date(NOW - 7 * DAY).toISOString()))).toBe(true)
    expect(is(lastWeek, signup(new Date(NOW - 7 * DAY - 1).toISOString()))).toBe(false)
    // 2026-06-09 00:00 in Shanghai is 06-08 16:00Z: more than 7 days before NOW (06-15 20:00Z); in New York it is 06-09 04:00Z, within.
    expect(is(lastWeek, signup('2026-06-09'))).toBe(false)
    expect(is(lastWeek, signup('2026-06-09', 'America/New_York'))).toBe(true)
    expect(is({ kind: 'trait', trait: 'signup', type: 'date', op: 'before', value: '2026-06-15T00:00:00Z' }, signup('2026-02-30'))).toBe(
      false,
    )
  })

  it('anniversaries: "today" is the profile\'s own today, and the window includes its last day', () => {
    const birthday = (value: string, timezone?: string) => profile({ traits: { birthday: value, ...(timezone ? { timezone } : {}) } })
    const today: SegmentNode = { kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 0 }
    expect(is(today, birthday('1990-06-16'))).toBe(true)
    expect(is(today, birthday('1990-06-16', 'America/New_York'))).toBe(false)
    expect(is(today, birthday('1990-06-15', 'America/New_York'))).toBe(true)
    const threeDays: SegmentNode = { kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 3 }
    expect(is(threeDays, birthday('1985-06-19'))).toBe(true)
    expect(is(threeDays, birthday('1985-06-20'))).toBe(false)
  })

  it('events: counts and sums within a window, no events counting as zero', () => {
    const orders = profile({
      events: [
        event('Order Completed', 10 * DAY, { total: 30_000 }),
        event('Order Completed', 90 * DAY, { total: '20000' }),
        event('Order Completed', 90 * DAY + 1, { total: 99_999 }),
      ],
    })
    const spent = (value: number): SegmentNode => ({
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'last', amount: 90, unit: 'days' },
      aggregate: 'sum',
      property: 'total',
      comparison: 'gte',
      value,
    })
    expect(is(spent(50_000), orders)).toBe(true)
    expect(is(spent(50_001), orders)).toBe(false)
    const atMostOnce: SegmentNode = {
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'last', amount: 30, unit: 'days' },
      aggregate: 'count',
      comparison: 'lte',
      value: 1,
    }
    expect(is(atMostOnce, orders)).toBe(true)
    expect(is(atMostOnce, profile())).toBe(true)
    const average: SegmentNode = {
      kind: 'event',
      event: 'Order Completed',
      filters: [],
      window: { type: 'ever' },
      aggregate: 'avg',
      property: 'total',
      comparison: 'gt',
      value: 0,
    }
    expect(is(average, profile())).toBe(false)
    const inChongqing: SegmentNode = {
      kind: 'event',
      event: 'Store Visited',
      filters: [{ property: 'city', type: 'string', op: 'equals', value: 'Chongqing' }],
      window: { type: 'ever' },
      aggregate: 'count',
      comparison: 'gte',
      value: 3,
    }
    expect(is(inChongqing, profile({ events: [1, 2, 3].map((d) => event('Store Visited', d * DAY, { city: 'Chongqing' })) }))).toBe(true)
    expect(
      is(
        inChongqing,
        profile({ events: [1, 2, 3].map((d) => event('Store Visited', d * DAY, { city: d === 3 ? 'Chengdu' : 'Chongqing' })) }),
      ),
    ).toBe(false)
  })

  it('first and last: "last order more than 30 days ago"', () => {
    const lapsed: SegmentNode = {
      kind: 'event_time',
      event: 'Order Completed',
      filters: [],
      which: 'last',
      op: 'more_than_days_ago',
      days: 30,
    }
    expect(is(lapsed, profile({ events: [event('Order Completed', 30 * DAY + 1)] }))).toBe(true)
    expect(is(lapsed, profile({ events: [event('Order Completed', 30 * DAY)] }))).toBe(false)
    expect(is(lapsed, profile({ events: [event('Order Completed', 40 * DAY), event('Order Completed', DAY)] }))).toBe(false)
    expect(is(lapsed, profile())).toBe(false)
  })

  it('sequences: A then B within T, and A without B within T once T has passed', () => {
    const then: SegmentNode = {
      kind: 'sequence',
      first: { event: 'Product Viewed', filters: [] },
      then: { event: 'Order Completed', filters: [] },
      mode: 'then',
      withinMinutes: 60,
      window: { type: 'ever' },
    }
    expect(is(then, profile({ events: [event('Product Viewed', 120 * 60_000), event('Order Completed', 60 * 60_000)] }))).toBe(true)
    expect(is(then, profile({ events: [event('Product Viewed', 120 * 60_000), event('Order Completed', 60 * 60_000 - 1)] }))).toBe(false)
    expect(is(then, profile({ events: [event('Order Completed', 120 * 60_000), event('Product Viewed', 60 * 60_000)] }))).toBe(false)
    const notThen: SegmentNode = { ...then, mode: 'not_then', withinMinutes: 5 } as SegmentNode
    expect(is(notThen, profile({ events: [event('Product Viewed', 5 * 60_000)] }))).toBe(true)
    expect(is(notThen, profile({ events: [event('Product Viewed', 5 * 60_000 - 1)] }))).toBe(false)
    expect(is(notThen, profile({ events: [event('Product Viewed', 5 * 60_000), event('Order Completed', 60_000 + 1)] }))).toBe(false)
    expect(changesWithTime(notThen)).toBe(true)
    expect(changesWithTime(then)).toBe(false)
  })

  it('tags, segments, identifiers and sources', () => {
    const p = profile({
      tags: new Set(['t1']),
      segments: new Set(['s1']),
      identifierTypes: new Set(['phone']),
      events: [event('Order Completed', 2 * DAY, {}, 'pos')],
    })
    expect(
      is(
        {
          kind: 'and',
          children: [
            { kind: 'tag', tagId: '00000000-0000-4000-8000-000000000001', has: false },
            { kind: 'identifier', identifierType: 'phone', has: true },
          ],
        },
        p,
      ),
    ).toBe(true)
    expect(
      is({ kind: 'not', child: { kind: 'or', children: [{ kind: 'identifier', identifierType: 'wechat_openid', has: true }] } }, p),
    ).toBe(true)
    expect(evaluateSegment({ kind: 'source', sourceId: 'pos', window: { type: 'last', amount: 2, unit: 'days' } }, p, context)).toBe(true)
    expect(evaluateSegment({ kind: 'source', sourceId: 'pos', window: { type: 'last', amount: 47, unit: 'hours' } }, p, context)).toBe(
      false,
    )
  })

  it('refuses definitions that cannot be evaluated, naming where', () => {
    expect(checkDefinition({ kind: 'or', children: [] })).toEqual([{ path: 'children', message: 'a group needs at least one condition' }])
    expect(
      checkDefinition({
        kind: 'event',
        event: 'Order Completed',
        filters: [],
        window: { type: 'ever' },
        aggregate: 'sum',
        comparison: 'gte',
        value: 1,
      }),
    ).toEqual([{ path: 'property', message: 'sum needs a numeric property' }])
    expect(
      checkDefinition({ kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 400 })[0]?.path,
    ).toBe('days')
  })

  it('consent in a subscription group: reachable under its policy, or a state recorded', () => {
    const consents = (sms?: 'opted_in' | 'unsubscribed', email?: 'opted_in' | 'unsubscribed') =>
      profile({
        consents: new Map([
          ['marketing_sms', { policy: 'opt_in' as const, state: sms }],
          ['marketing_email', { policy: 'opt_out' as const, state: email }],
        ]),
      })
    const [none, out, opted] = [consents(), consents('unsubscribed'), consents('opted_in')]
    const sms = { kind: 'subscription', group: 'marketing_sms', state: 'subscribed' } as const
    // Opt-in: only those who said yes are reachable.
    expect([none, out, opted].map((p) => is(sms, p))).toEqual([false, false, true])
    expect([none, out, opted].map((p) => is({ ...sms, state: 'opted_in' }, p))).toEqual([false, false, true])
    expect([none, out, opted].map((p) => is({ ...sms, state: 'unsubscribed' }, p))).toEqual([false, true, false])
    // Opt-out: everyone but those who said no.
    const email = { kind: 'subscription', group: 'marketing_email', state: 'subscribed' } as const
    expect([consents(), consents(undefined, 'unsubscribed'), consents(undefined, 'opted_in')].map((p) => is(email, p))).toEqual([
      true,
      false,
      true,
    ])
    // Another group's state is its own; a group the workspace does not have holds nobody.
    expect(is({ ...email, state: 'unsubscribed' }, out)).toBe(false)
    expect(is({ kind: 'subscription', group: 'vip_sms', state: 'subscribed' }, opted)).toBe(false)
    expect(is({ kind: 'not', child: { kind: 'subscription', group: 'vip_sms', state: 'subscribed' } }, opted)).toBe(true)
  })

  it("a condition on a channel (older definitions) reads that channel's default group", () => {
    const p = profile({ consents: new Map([['marketing_sms', { policy: 'opt_in' as const, state: 'opted_in' as const }]]) })
    expect(is({ kind: 'subscription', channel: 'sms', state: 'opted_in' }, p)).toBe(true)
    expect(is({ kind: 'subscription', channel: 'email', state: 'subscribed' }, p)).toBe(false)
    expect(checkDefinition({ kind: 'subscription', state: 'subscribed' })).toEqual([
      { path: 'group', message: 'a subscription condition needs a group' },
    ])
    expect(checkDefinition({ kind: 'subscription', group: 'marketing_sms', channel: 'sms', state: 'subscribed' })[0]?.path).toBe('channel')
  })

  it('computed values: tested like traits, RFM by part', () => {
    const id = '00000000-0000-4000-8000-000000000001'
    const p = profile({ computed: new Map<string, unknown>([[id, { group: 'champions', r: 5, f: 4 }]]) })
    expect(
      is({ kind: 'computed', propertyId: id, part: 'group', type: 'string', op: 'in', values: ['champions', 'loyal_customers'] }, p),
    ).toBe(true)
    expect(is({ kind: 'computed', propertyId: id, part: 'r', type: 'number', op: 'gte', value: 5 }, p)).toBe(true)
    expect(is({ kind: 'computed', propertyId: id, part: 'f', type: 'number', op: 'gte', value: 5 }, p)).toBe(false)
    expect(is({ kind: 'computed', propertyId: id, type: 'number', op: 'exists' }, profile())).toBe(false)
  })
})
