import type { ComputedDistribution, ComputedDefinition } from '@reachloop/domain'
import { Empty } from 'antd'
import { useMemo } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { rfmGroupLabel } from './computed-values.js'
import { EChart } from '../../shared/EChart.js'
import { isMoneyDefinition } from '../../shared/money.js'
import { useMoney } from '../../shared/money-context.js'

/**
 * How a property's values spread: profiles per numeric bucket, or per RFM group / most common value.
 * With its `definition`, a property that keeps money labels its buckets in the workspace's currency.
 */
export function ComputedDistributionChart({
  distribution,
  kind,
  definition,
}: {
  distribution: ComputedDistribution
  kind: ComputedDefinition['kind']
  definition?: ComputedDefinition
}) {
  const { t, language } = useI18n()
  const money = useMoney()
  const keepsMoney = definition !== undefined && isMoneyDefinition(definition, money.isMoney)
  const bars = useMemo(() => {
    const number = keepsMoney ? money.format : (n: number) => n.toLocaleString(language, { maximumFractionDigits: 2 })
    // RFM values are objects: only their groups spread; other values spread over buckets when they are numbers.
    if (kind !== 'rfm' && distribution.buckets.length > 0)
      return distribution.buckets.map((b) => ({
        label: b.from === b.to ? number(b.from) : `${number(b.from)} – ${number(b.to)}`,
        profiles: b.profiles,
      }))
    return distribution.groups.map((g) => ({ label: kind === 'rfm' ? rfmGroupLabel(g.value, t) : g.value, profiles: g.profiles }))
  }, [distribution, kind, language, t, keepsMoney, money])
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 20, bottom: 70 },
      xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { interval: 0, rotate: bars.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', name: t('computed.profiles'), minInterval: 1 },
      series: [{ name: t('computed.profiles'), type: 'bar', data: bars.map((b) => b.profiles), itemStyle: { color: '#0f766e' } }],
    }),
    [bars, t],
  )
  if (bars.length === 0) return <Empty description={t('computed.noValues')} />
  return <EChart option={option} height={300} testId="computed-distribution" />
}
