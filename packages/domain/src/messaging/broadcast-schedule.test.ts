import { describe, expect, it } from 'vitest'
import { localSendTime, nextBroadcastRun } from './broadcast-schedule.js'

const iso = (d: Date | null) => d?.toISOString() ?? null

describe('broadcast schedules', () => {
  it('run a one-off at its instant once, and never again', () => {
    const at = '2026-12-05T02:00:00.000Z'
    expect(iso(nextBroadcastRun({ kind: 'once', at }, new Date('2026-12-01T00:00:00Z'), 'Asia/Shanghai', true))).toBe(at)
    expect(nextBroadcastRun({ kind: 'once', at }, new Date(at), 'Asia/Shanghai')).toBeNull()
  })
  it('run daily at 10:00 in the workspace zone, today if still ahead, else tomorrow', () => {
    expect(iso(nextBroadcastRun({ kind: 'daily', time: '10:00' }, new Date('2026-12-01T01:00:00Z'), 'Asia/Shanghai'))).toBe(
      '2026-12-01T02:00:00.000Z',
    )
    expect(iso(nextBroadcastRun({ kind: 'daily', time: '10:00' }, new Date('2026-12-01T02:00:00Z'), 'Asia/Shanghai'))).toBe(
      '2026-12-02T02:00:00.000Z',
    )
  })
  it('run weekly on the chosen weekdays only', () => {
    // Tuesday 1 Dec 2026; next Friday (5) is 4 Dec.
    expect(iso(nextBroadcastRun({ kind: 'weekly', time: '09:30', weekdays: [5] }, new Date('2026-12-01T12:00:00Z'), 'Asia/Shanghai'))).toBe(
      '2026-12-04T01:30:00.000Z',
    )
  })
  it('run monthly on the 31st, or the last day of a shorter month', () => {
    expect(
      iso(nextBroadcastRun({ kind: 'monthly', time: '08:00', dayOfMonth: 31 }, new Date('2027-02-01T00:00:00Z'), 'Asia/Shanghai')),
    ).toBe('2027-02-28T00:00:00.000Z')
    expect(
      iso(nextBroadcastRun({ kind: 'monthly', time: '08:00', dayOfMonth: 31 }, new Date('2028-02-01T00:00:00Z'), 'Asia/Shanghai')),
    ).toBe('2028-02-29T00:00:00.000Z')
  })
})

describe('local send time', () => {
  it('sends at the same wall-clock time in the customer’s zone, later that day or the next', () => {
    const run = new Date('2026-12-01T02:00:00Z') // 10:00 in Shanghai
    // 10:00 in London is 10:00Z, still ahead.
    expect(localSendTime(run, 'Asia/Shanghai', 'Europe/London').toISOString()).toBe('2026-12-01T10:00:00.000Z')
    // 10:00 in Tokyo (01:00Z) has passed: the next day's.
    expect(localSendTime(run, 'Asia/Shanghai', 'Asia/Tokyo').toISOString()).toBe('2026-12-02T01:00:00.000Z')
  })
})
