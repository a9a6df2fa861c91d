import { describe, expect, it } from 'vitest'
import { instantAt, localTimeOf, nextLocalTime, quietUntil, startOfLocalDay, type QuietHours } from './local-time.js'

const NIGHT: QuietHours = { enabled: true, start: '21:00', end: '08:00', action: 'delay' }

describe('quiet hours', () => {
  it('hold a message sent at 22:30 in Shanghai until 08:00 the next morning', () => {
    expect(quietUntil(new Date('2026-12-01T14:30:00Z'), 'Asia/Shanghai', NIGHT)?.toISOString()).toBe('2026-12-02T00:00:00.000Z')
  })
  it('hold a message sent at 01:00 until 08:00 the same day (the window spans midnight)', () => {
    expect(quietUntil(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai', NIGHT)?.toISOString()).toBe('2026-12-02T00:00:00.000Z')
  })
  it('let a message through at 08:00 and at 20:59 local', () => {
    expect(quietUntil(new Date('2026-12-02T00:00:00Z'), 'Asia/Shanghai', NIGHT)).toBeNull()
    expect(quietUntil(new Date('2026-12-02T12:59:00Z'), 'Asia/Shanghai', NIGHT)).toBeNull()
  })
  it('count in each profile’s own zone: 22:30 in Shanghai is 14:30 in London', () => {
    const instant = new Date('2026-12-01T14:30:00Z')
    expect(quietUntil(instant, 'Europe/London', NIGHT)).toBeNull()
  })
  it('are off when disabled or empty', () => {
    expect(quietUntil(new Date('2026-12-01T14:30:00Z'), 'Asia/Shanghai', { ...NIGHT, enabled: false })).toBeNull()
    expect(quietUntil(new Date('2026-12-01T14:30:00Z'), 'Asia/Shanghai', { ...NIGHT, end: '21:00' })).toBeNull()
  })
  it('end at the right instant across a DST change (New York, 1 Nov 2026 falls back)', () => {
    // 21:30 EDT on 31 Oct = 01:30Z on 1 Nov; 08:00 EST on 1 Nov = 13:00Z.
    expect(quietUntil(new Date('2026-11-01T01:30:00Z'), 'America/New_York', NIGHT)?.toISOString()).toBe('2026-11-01T13:00:00.000Z')
  })
})

describe('local time', () => {
  it('finds local midnight in a zone', () => {
    expect(startOfLocalDay(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-12-01T16:00:00.000Z')
  })
  it('resolves a wall time skipped by spring-forward to just after the gap', () => {
    // 8 Mar 2026, 02:30 does not exist in New York; 03:30 EDT is 07:30Z.
    expect(instantAt('America/New_York', 2026, 3, 8, 150).toISOString()).toBe('2026-03-08T07:30:00.000Z')
  })
  it('finds the next 10:00 local, today or tomorrow', () => {
    expect(nextLocalTime(new Date('2026-12-01T01:00:00Z'), 'Asia/Shanghai', 600).toISOString()).toBe('2026-12-01T02:00:00.000Z')
    expect(nextLocalTime(new Date('2026-12-01T03:00:00Z'), 'Asia/Shanghai', 600).toISOString()).toBe('2026-12-02T02:00:00.000Z')
  })
  it('reads the weekday in the zone', () => {
    // Tuesday 1 Dec 2026, 23:00 UTC is Wednesday morning in Shanghai.
    expect(localTimeOf(new Date('2026-12-01T23:00:00Z'), 'Asia/Shanghai').weekday).toBe(3)
  })
})
