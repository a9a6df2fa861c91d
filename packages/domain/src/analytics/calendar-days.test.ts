import { describe, expect, it } from 'vitest'
import { addDays, dayInZone, daysBetween } from './calendar-days.js'

describe('calendar days', () => {
  it('puts an instant on its day in the time zone, at the edges of the day', () => {
    expect(dayInZone(new Date('2026-05-01T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-05-01')
    expect(dayInZone(new Date('2026-05-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-05-02')
    expect(dayInZone(new Date('2026-05-01T16:00:00Z'), 'UTC')).toBe('2026-05-01')
    // Kathmandu is UTC+5:45; New York changes its offset on 8 March 2026.
    expect(dayInZone(Date.parse('2026-05-01T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-05-01')
    expect(dayInZone(Date.parse('2026-05-01T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-05-02')
    expect(dayInZone(Date.parse('2026-03-09T03:59:00Z'), 'America/New_York')).toBe('2026-03-08')
    expect(dayInZone(Date.parse('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09')
  })

  it('counts days across months and leap years', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01'])
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([])
  })
})
