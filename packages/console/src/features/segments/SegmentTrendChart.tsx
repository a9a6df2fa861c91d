import type { SegmentSizes } from '@reachloop/domain'
import { useMemo } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { EChart } from '../../shared/EChart.js'
import { dayOf, daysBetween } from '../../shared/format.js'
import { useMoney } from '../../shared/money-context.js'

/**
 * The chart's days, each with the size at its end and its entries and exits: sizes and bars share
 * one category axis, so a day's point sits over that day's bars. Days are the workspace's (the
 * server counts entries and exits by the workspace's days).
 */
export function trendDays(sizes: SegmentSizes, timeZone: string | undefined) {
  const points = [...sizes.sizes]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((s) => ({ day: dayOf(s.at, timeZone), size: s.size }))
  const known = [...points.map((p) => p.day), ...sizes.changes.map((c) => c.day)].sort()
  const first = known[0]
  const last = known[known.length - 1]
  if (!first || !last) return []
  const changes = new Map(sizes.changes.map((c) => [c.day, c]))
  let size: number | null = null
  let next = 0
  return daysBetween(first, last, 92).map((day) => {
    // The size at the day's end: the last point on or before it.
    while (next < points.length && points[next]!.day <= day) size = points[next++]!.size
    const change = changes.get(day)
    return { day, size, entered: change?.entered ?? 0, exited: change?.exited ?? 0 }
  })
}

/** A segment's size at each day's end as a step line, with its daily entries (up) and exits (down) as bars. */
export function SegmentTrendChart({ sizes }: { sizes: SegmentSizes }) {
  const { t } = useI18n()
  const { timeZone } = useMoney()
  const chart = useMemo(() => {
    const days = trendDays(sizes, timeZone)
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('segments.size'), t('segments.entered'), t('segments.exited')] },
      grid: { left: 50, right: 50, top: 50, bottom: 30 },
      xAxis: { type: 'category', boundaryGap: true, data: days.map((d) => d.day) },
      yAxis: [
        { type: 'value', name: t('segments.size'), minInterval: 1 },
        { type: 'value', name: t('segments.entered'), minInterval: 1 },
      ],
      series: [
        {
          name: t('segments.size'),
          type: 'line',
          step: 'middle',
          showSymbol: true,
          symbolSize: 8,
          connectNulls: false,
          data: days.map((d) => d.size),
        },
        {
          name: t('segments.entered'),
          type: 'bar',
          yAxisIndex: 1,
          stack: 'changes',
          data: days.map((d) => d.entered),
          itemStyle: { color: '#0f766e' },
        },
        {
          name: t('segments.exited'),
          type: 'bar',
          yAxisIndex: 1,
          stack: 'changes',
          data: days.map((d) => -d.exited),
          itemStyle: { color: '#dc2626' },
        },
      ],
    }
  }, [sizes, t, timeZone])
  return <EChart option={chart} height={240} testId="segment-trend" />
}
