import { describe, expect, it } from 'vitest'
import { trendDays } from './SegmentTrendChart.js'

describe("the segment size chart's days", () => {
  it('puts each size point on the day of its bars, carrying the size over days without changes', () => {
    const days = trendDays(
      {
        // 23:30 UTC on the 24th is the 25th in Shanghai: the point belongs with the 25th's bars.
        sizes: [
          { at: '2026-11-23T02:00:00Z', size: 3 },
          { at: '2026-11-24T23:30:00Z', size: 5 },
        ],
        changes: [
          { day: '2026-11-23', entered: 3, exited: 0 },
          { day: '2026-11-25', entered: 3, exited: 1 },
        ],
      },
      'Asia/Shanghai',
    )
    expect(days).toEqual([
      { day: '2026-11-23', size: 3, entered: 3, exited: 0 },
      { day: '2026-11-24', size: 3, entered: 0, exited: 0 },
      { day: '2026-11-25', size: 5, entered: 3, exited: 1 },
    ])
  })

  it('keeps the last size of a day with several computations, and has no size before the first', () => {
    const days = trendDays(
      {
        sizes: [
          { at: '2026-11-25T01:00:00Z', size: 4 },
          { at: '2026-11-25T09:00:00Z', size: 6 },
        ],
        changes: [{ day: '2026-11-24', entered: 0, exited: 2 }],
      },
      'UTC',
    )
    expect(days).toEqual([
      { day: '2026-11-24', size: null, entered: 0, exited: 2 },
      { day: '2026-11-25', size: 6, entered: 0, exited: 0 },
    ])
    expect(trendDays({ sizes: [], changes: [] }, 'UTC')).toEqual([])
  })
})
