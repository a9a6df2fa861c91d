import type { Overview } from '@reachloop/domain'
import type { Translate } from '../../i18n/i18n.js'

const TEAL = '#0f766e'
const PALETTE = ['#0f766e', '#2563eb', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626']

/** What every chart of the page shares: days on the x axis, a legend, a tooltip, and aria (its data described for screen readers). */
const base = (overview: Overview) => ({
  aria: { enabled: true },
  tooltip: { trigger: 'axis' },
  grid: { left: 12, right: 12, top: 40, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: overview.series.map((d) => d.day.slice(5)) },
})

type Day = Overview['series'][number]

/** One figure of every day, drawn as a line or bars on one of the chart's axes. */
const daily = (overview: Overview, name: string, type: 'line' | 'bar', yAxisIndex: number, figure: (d: Day) => number, color: string) => ({
  name,
  type,
  yAxisIndex,
  data: overview.series.map(figure),
  itemStyle: { color },
  ...(type === 'bar' ? { barMaxWidth: 40 } : {}),
})

/** Customers at each day's end (line), new and active customers per day (bars). */
export function customersChartOption(overview: Overview, t: Translate) {
  return {
    ...base(overview),
    legend: { top: 0, data: [t('home.customers'), t('home.newCustomers'), t('home.activeCustomers')] },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      daily(overview, t('home.customers'), 'line', 0, (d) => d.customers, TEAL),
      daily(overview, t('home.newCustomers'), 'bar', 1, (d) => d.newCustomers, '#60a5fa'),
      daily(overview, t('home.activeCustomers'), 'bar', 1, (d) => d.activeCustomers, '#f59e0b'),
    ],
  }
}

/** Events per day, a stacked part per source (named, or said to be deleted). */
export function eventsChartOption(overview: Overview, t: Translate) {
  const sources = overview.sources.filter((s) => s.events.value > 0)
  const nameOf = (s: Overview['sources'][number]) =>
    s.name ?? (s.id === '' ? t('home.noSource') : `${t('home.deletedSource')} ${s.id.slice(0, 8)}`)
  return {
    ...base(overview),
    legend: { top: 0, type: 'scroll', data: sources.map(nameOf) },
    yAxis: { type: 'value', minInterval: 1 },
    series: sources.map((s, i) => ({
      name: nameOf(s),
      type: 'bar',
      stack: 'events',
      barMaxWidth: 40,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      data: overview.series.map((d) => d.eventsBySource[s.id] ?? 0),
    })),
  }
}

/** Orders per day (bars) and revenue per day (line, as money in the workspace currency). */
export function ordersChartOption(overview: Overview, t: Translate, money: (minor: number) => string) {
  return {
    ...base(overview),
    legend: { top: 0, data: [t('home.orders'), t('home.revenue')] },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', splitLine: { show: false }, axisLabel: { formatter: (v: number) => money(v) } },
    ],
    series: [
      daily(overview, t('home.orders'), 'bar', 0, (d) => d.orders, '#60a5fa'),
      { ...daily(overview, t('home.revenue'), 'line', 1, (d) => d.revenue, TEAL), tooltip: { valueFormatter: (v: number) => money(v) } },
    ],
  }
}
