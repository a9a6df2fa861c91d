import { describe, expect, it } from 'vitest'
import {
  checkComputedDefinition,
  computeValue,
  emptyComputedValue,
  rfmBands,
  rfmMeasures,
  scoreRfm,
  type ComputedDefinition,
} from './computed-property.js'
import type { FactEvent } from '../segments/evaluate.js'

const NOW = Date.parse('2026-06-15T20:00:00Z')
const DAY = 86_400_000
let nextId = 0
const order = (daysAgo: number, total?: unknown): FactEvent => ({
  id: ++nextId,
  name: 'Order Completed',
  timestamp: NOW - daysAgo * DAY,
  sourceId: null,
  properties: total === undefined ? {} : { total },
})
const context = { now: NOW, timeZone: 'Asia/Shanghai' }
const aggregate = (over: Partial<Extract<ComputedDefinition, { kind: 'aggregate' }>>): ComputedDefinition => ({
  kind: 'aggregate',
  event: 'Order Completed',
  filters: [],
  window: { type: 'last', amount: 90, unit: 'days' },
  aggregate: 'count',
  ...over,
})

describe('computed properties', () => {
  const orders = [order(100, 900), order(60, 300), order(30, '200'), order(1, 'n/a'), order(0.5)]

  it('aggregates a property of the events in the window', () => {
    expect(computeValue(aggregate({}), orders, context)).toBe(4)
    expect(computeValue(aggregate({ aggregate: 'sum', property: 'total' }), orders, context)).toBe(500)
    expect(computeValue(aggregate({ aggregate: 'avg', property: 'total' }), orders, context)).toBe(250)
    expect(computeValue(aggregate({ aggregate: 'max', property: 'total' }), orders, context)).toBe(300)
    expect(computeValue(aggregate({ aggregate: 'min', property: 'total', window: { type: 'ever' } }), orders, context)).toBe(200)
    // First / last skip events without the property; without a property they are instants.
    expect(computeValue(aggregate({ aggregate: 'last', property: 'total' }), orders, context)).toBe('n/a')
    expect(computeValue(aggregate({ aggregate: 'first', property: 'total', window: { type: 'ever' } }), orders, context)).toBe(900)
    expect(computeValue(aggregate({ aggregate: 'last' }), orders, context)).toBe(new Date(NOW - 0.5 * DAY).toISOString())
    // Nothing in the window: count and sum hold 0, the others nothing.
    expect(computeValue(aggregate({ aggregate: 'avg', property: 'total' }), [], context)).toBeNull()
    expect(emptyComputedValue(aggregate({ aggregate: 'sum', property: 'total' }))).toBe(0)
    expect(emptyComputedValue(aggregate({ aggregate: 'max', property: 'total' }))).toBeNull()
  })

  it('averages the days between events, from two on', () => {
    const interval: ComputedDefinition = { kind: 'interval', event: 'Order Completed', filters: [], window: { type: 'ever' } }
    expect(computeValue(interval, [order(100), order(60), order(10)], context)).toBe(45)
    expect(computeValue(interval, [order(3)], context)).toBeNull()
  })

  it('scores RFM against quintiles and names the group', () => {
    const rfm: Extract<ComputedDefinition, { kind: 'rfm' }> = {
      kind: 'rfm',
      event: 'Order Completed',
      filters: [],
      window: { type: 'last', amount: 365, unit: 'days' },
      monetaryProperty: 'total',
    }
    // Five customers: the first buys often, lately and much; the last once, long ago, little.
    const customers = [
      [order(1, 900), order(5, 900), order(9, 900), order(20, 900), order(40, 900)],
      [order(10, 500), order(30, 500), order(50, 500), order(70, 500)],
      [order(40, 300), order(80, 300), order(120, 300)],
      [order(100, 200), order(200, 200)],
      [order(300, 50)],
    ]
    const measures = customers.map((events) => rfmMeasures(rfm, events, NOW, 'Asia/Shanghai')!)
    expect(measures[0]).toEqual({ recency_days: 1, frequency: 5, monetary: 4500 })
    const bands = rfmBands(measures)
    expect(bands.frequency).toEqual([1, 2, 3, 4])
    const values = measures.map((m) => scoreRfm(m, bands))
    expect(values.map((v) => v.score)).toEqual(['555', '444', '333', '222', '111'])
    expect(values.map((v) => v.group)).toEqual(['champions', 'loyal_customers', 'need_attention', 'hibernating', 'lost'])
    expect(computeValue(rfm, customers[0]!, { ...context, bands })).toMatchObject({ group: 'champions', r: 5 })
    // A new customer: one order yesterday.
    expect(scoreRfm({ recency_days: 0, frequency: 1, monetary: 50 }, bands).group).toBe('new_customers')
  })

  it('refuses what cannot be computed, naming where', () => {
    expect(checkComputedDefinition(aggregate({ aggregate: 'sum' }))).toEqual([
      { path: 'property', message: 'sum needs a numeric property' },
    ])
    expect(
      checkComputedDefinition(aggregate({ window: { type: 'between', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } })),
    ).toEqual([{ path: 'window.from', message: 'from must not be after to' }])
  })
})
