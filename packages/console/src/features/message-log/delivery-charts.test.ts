import { describe, expect, it } from 'vitest'
import { channelTotals, rate, statsDays } from './delivery-charts.js'

const row = (day: string, channel: 'sms' | 'email', sent: number, opened = 0) => ({
  day,
  channel,
  queued: sent + 1,
  sent,
  delivered: sent - 1,
  failed: 0,
  suppressed: 1,
  opened,
  clicked: 0,
})

describe('the delivery statistics', () => {
  it('lists every day of the period, adding up the channels, days without messages at zero', () => {
    const stats = { days: [row('2026-11-23', 'sms', 4), row('2026-11-23', 'email', 2, 1), row('2026-11-25', 'sms', 3)] }
    const days = statsDays(stats, '2026-11-25', 3)
    expect(days.map((d) => [d.day, d.sent, d.suppressed])).toEqual([
      ['2026-11-23', 6, 2],
      ['2026-11-24', 0, 0],
      ['2026-11-25', 3, 1],
    ])
    expect(statsDays(stats, '2026-11-25', 3, 'email').map((d) => d.opened)).toEqual([1, 0, 0])
  })

  it('totals each channel and gives rates only where something was sent', () => {
    const totals = channelTotals({ days: [row('2026-11-23', 'sms', 4), row('2026-11-24', 'sms', 4)] })
    expect(totals).toEqual([{ channel: 'sms', queued: 10, sent: 8, delivered: 6, failed: 0, suppressed: 2, opened: 0, clicked: 0 }])
    expect(rate(6, 8)).toBe(75)
    expect(rate(1, 3)).toBe(33.3)
    expect(rate(0, 0)).toBeNull()
  })
})
