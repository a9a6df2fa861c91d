import type { Channel, DeliveryStats } from '@reachloop/domain'
import type { Translate } from '../../i18n/i18n.js'
import { daysBetween } from '../../shared/format.js'

type Row = DeliveryStats['days'][number]
/** A day's (or a channel's) counts added up. */
export type Totals = Omit<Row, 'day' | 'channel'>

const ZERO: Totals = { queued: 0, sent: 0, delivered: 0, failed: 0, suppressed: 0, opened: 0, clicked: 0 }
const add = (a: Totals, b: Totals): Totals => ({
  queued: a.queued + b.queued,
  sent: a.sent + b.sent,
  delivered: a.delivered + b.delivered,
  failed: a.failed + b.failed,
  suppressed: a.suppressed + b.suppressed,
  opened: a.opened + b.opened,
  clicked: a.clicked + b.clicked,
})

/** A share in percent with one decimal, or null without anything to divide by. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null)

/**
 * The last `count` days up to `today` (the workspace's days, as the server counts them), each with
 * its counts on `channel` (or all channels); days without messages count zero.
 */
export function statsDays(stats: DeliveryStats, today: string, count: number, channel?: Channel): Array<{ day: string } & Totals> {
  const start = new Date(Date.parse(`${today}T00:00:00Z`) - (count - 1) * 86_400_000).toISOString().slice(0, 10)
  const byDay = new Map<string, Totals>()
  for (const row of stats.days) if (!channel || row.channel === channel) byDay.set(row.day, add(byDay.get(row.day) ?? ZERO, row))
  return daysBetween(start, today).map((day) => ({ day, ...(byDay.get(day) ?? ZERO) }))
}

/** Each channel's counts over the period, channels with messages only. */
export function channelTotals(stats: DeliveryStats): Array<{ channel: Channel } & Totals> {
  const byChannel = new Map<Channel, Totals>()
  for (const row of stats.days) byChannel.set(row.channel, add(byChannel.get(row.channel) ?? ZERO, row))
  return [...byChannel.entries()].map(([channel, totals]) => ({ channel, ...totals }))
}

const base = (days: Array<{ day: string }>) => ({
  aria: { enabled: true },
  tooltip: { trigger: 'axis' },
  grid: { left: 12, right: 12, top: 40, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
})

/**
 * Outcomes per day as stacked bars of disjoint parts: delivered, sent but not (yet) confirmed
 * delivered, failed, suppressed (the server's `sent` holds the delivered ones).
 */
export function outcomesChartOption(days: Array<{ day: string } & Totals>, t: Translate) {
  const parts: Array<[string, (d: Totals) => number, string]> = [
    [t('deliveryStats.delivered'), (d) => d.delivered, '#0f766e'],
    [t('deliveryStats.sentOnly'), (d) => Math.max(0, d.sent - d.delivered), '#60a5fa'],
    [t('deliveryStats.failed'), (d) => d.failed, '#dc2626'],
    [t('deliveryStats.suppressed'), (d) => d.suppressed, '#f59e0b'],
  ]
  return {
    ...base(days),
    legend: { top: 0, data: parts.map(([name]) => name) },
    yAxis: { type: 'value', minInterval: 1 },
    series: parts.map(([name, figure, color]) => ({
      name,
      type: 'bar',
      stack: 'outcomes',
      barMaxWidth: 40,
      itemStyle: { color },
      data: days.map(figure),
    })),
  }
}

/** Email open and click rates per day, in percent of the messages sent that day. */
export function emailRatesChartOption(days: Array<{ day: string } & Totals>, t: Translate) {
  const line = (name: string, figure: (d: Totals) => number | null, color: string) => ({
    name,
    type: 'line',
    connectNulls: false,
    itemStyle: { color },
    data: days.map(figure),
    tooltip: { valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`) },
  })
  return {
    ...base(days),
    legend: { top: 0, data: [t('deliveryStats.openRate'), t('deliveryStats.clickRate')] },
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}%' } },
    series: [
      line(t('deliveryStats.openRate'), (d) => rate(d.opened, d.sent), '#2563eb'),
      line(t('deliveryStats.clickRate'), (d) => rate(d.clicked, d.sent), '#d97706'),
    ],
  }
}
