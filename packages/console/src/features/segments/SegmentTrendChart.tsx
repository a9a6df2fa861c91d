import type { SegmentSizes } from '@reachloop/domain'
import { useMemo } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { EChart } from '../../shared/EChart.js'

/** A segment's size as a step line, with its daily entries (up) and exits (down) as bars. */
export function SegmentTrendChart({ sizes }: { sizes: SegmentSizes }) {
  const { t } = useI18n()
  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('segments.size'), t('segments.entered'), t('segments.exited')] },
      grid: { left: 50, right: 50, top: 50, bottom: 30 },
      xAxis: { type: 'time' },
      yAxis: [
        { type: 'value', name: t('segments.size') },
        { type: 'value', name: t('segments.entered') },
      ],
      series: [
        {
          name: t('segments.size'),
          type: 'line',
          step: 'end',
          showSymbol: true,
          symbolSize: 8,
          data: sizes.sizes.map((s) => [s.at, s.size]),
        },
        {
          name: t('segments.entered'),
          type: 'bar',
          yAxisIndex: 1,
          data: sizes.changes.map((c) => [c.day, c.entered]),
          itemStyle: { color: '#0f766e' },
        },
        {
          name: t('segments.exited'),
          type: 'bar',
          yAxisIndex: 1,
          data: sizes.changes.map((c) => [c.day, -c.exited]),
          itemStyle: { color: '#dc2626' },
        },
      ],
    }),
    [sizes, t],
  )
  return <EChart option={chart} height={240} testId="segment-trend" />
}
