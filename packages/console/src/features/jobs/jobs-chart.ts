import type { QueueStats } from '@reachloop/domain'
import type { MessageKey, Translate } from '../../i18n/i18n.js'

const STATS = ['due', 'scheduled', 'retrying', 'running', 'dead', 'done'] as const
const COLORS: Record<(typeof STATS)[number], string> = {
  due: '#1677ff',
  scheduled: '#69b1ff',
  retrying: '#faad14',
  running: '#13c2c2',
  dead: '#ff4d4f',
  done: '#52c41a',
}

/** The chart of queues: one stacked bar per queue, a part per state. */
export const jobsChartOption = (queues: QueueStats[], t: Translate, label: (queue: string) => string = (q) => q) => ({
  tooltip: { trigger: 'axis' },
  legend: { top: 0, data: STATS.map((s) => t(`jobs.${s}` as MessageKey)) },
  grid: { left: 20, right: 20, bottom: 10, top: 40, containLabel: true },
  xAxis: { type: 'category', data: queues.map((q) => label(q.queue)) },
  yAxis: { type: 'value', minInterval: 1 },
  series: STATS.map((s) => ({
    name: t(`jobs.${s}` as MessageKey),
    type: 'bar',
    stack: 'jobs',
    barMaxWidth: 56,
    itemStyle: { color: COLORS[s] },
    data: queues.map((q) => q[s]),
  })),
})
