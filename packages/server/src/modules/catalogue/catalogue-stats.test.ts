import { describe, expect, it } from 'vitest'
import type { LogEvent } from '../../platform/event-log/event-log.js'
import { aggregateBatch, keepsValues, mergeTopValues, TOP_VALUE_CANDIDATES } from './catalogue-stats.js'

const event = (over: Partial<LogEvent>): LogEvent => ({
  id: 1,
  txId: '1',
  workspaceId: 'w',
  sourceId: null,
  profileId: 'p',
  messageId: 'm',
  type: 'track',
  name: 'Store Visited',
  properties: {},
  traits: {},
  timestamp: new Date('2026-03-01T00:00:00Z'),
  receivedAt: new Date('2026-03-01T00:00:00Z'),
  ...over,
})

describe('catalogue statistics of a batch', () => {
  it('keeps the most frequent values, bounded, adding a batch to what was stored', () => {
    const stored: Array<[string, number]> = Array.from({ length: TOP_VALUE_CANDIDATES }, (_, i) => [`v${i}`, 100 - i])
    const merged = mergeTopValues(
      stored,
      new Map([
        ['v49', 60],
        ['new', 99],
        ['rare', 1],
      ]),
    )
    expect(merged).toHaveLength(TOP_VALUE_CANDIDATES)
    expect(merged.slice(0, 4)).toEqual([
      ['v49', 111],
      ['v0', 100],
      ['new', 99],
      ['v1', 99],
    ])
    expect(merged.some(([v]) => v === 'rare')).toBe(false)
  })

  it('keeps no values of personal data', () => {
    expect(['phone', 'contact.email', 'user_id', 'vehicle_plate', 'birthday'].filter((p) => keepsValues('property', p))).toEqual([])
    expect(keepsValues('trait', 'name')).toBe(false)
    expect(keepsValues('property', 'name')).toBe(true)
    expect(keepsValues('trait', 'city')).toBe(true)
    expect(keepsValues('property', 'store_id')).toBe(true)
  })

  it('counts events, paths one level into objects, types and values per workspace; traits from identify calls', () => {
    const batch = aggregateBatch(
      [
        event({ properties: { city: '重庆', weather: { sky: 'sunny', wind: { speed: 3 } } } }),
        event({ properties: { city: '重庆' }, timestamp: new Date('2026-03-02T00:00:00Z') }),
        event({ type: 'identify', name: null, traits: { city: '成都', phone: '13800138000' } }),
        event({ workspaceId: 'other', properties: { city: '西安' } }),
      ],
      () => new Map(),
    )
    const visited = batch.get('w')?.events.get('Store Visited')
    expect(visited?.count).toBe(2)
    expect(visited?.last.toISOString()).toBe('2026-03-02T00:00:00.000Z')
    expect([...(visited?.paths.keys() ?? [])]).toEqual(['city', 'weather', 'weather.sky', 'weather.wind'])
    expect(visited?.paths.get('weather.wind')?.types).toEqual(new Map([['object', 1]]))
    expect(visited?.paths.get('city')?.values).toEqual(new Map([['重庆', 2]]))
    const traits = batch.get('w')?.traits
    expect(traits?.count).toBe(1)
    expect(traits?.paths.get('phone')?.values.size).toBe(0)
    expect(batch.get('other')?.events.get('Store Visited')?.paths.get('city')?.values).toEqual(new Map([['西安', 1]]))
  })
})
