import { describe, expect, it } from 'vitest'
import { dayOf, daysBetween } from './format.js'

describe('calendar days', () => {
  it('dates an instant by the day of the given time zone', () => {
    expect(dayOf('2026-11-24T17:30:00Z', 'Asia/Shanghai')).toBe('2026-11-25')
    expect(dayOf('2026-11-24T17:30:00Z', 'UTC')).toBe('2026-11-24')
    expect(dayOf('2026-11-24T03:00:00Z', 'America/Los_Angeles')).toBe('2026-11-23')
  })

  it('lists every day between two, across a month end, keeping the last ones past the limit', () => {
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'])
    expect(daysBetween('2026-11-29', '2026-11-29')).toEqual(['2026-11-29'])
    expect(daysBetween('2026-11-01', '2026-11-30', 2)).toEqual(['2026-11-29', '2026-11-30'])
  })
})
