import type { BroadcastRun } from '@reachloop/domain'
import type { MessageKey, Translate } from '../../i18n/i18n.js'

/**
 * A run's figures as the page shows them. The run counts messages by their current status, so a
 * delivered message is no longer counted as sent: "sent" here is every message the provider
 * took (sent or delivered), as the delivery statistics count it.
 */
export function runFigures(run: BroadcastRun): Array<{ key: MessageKey; value: number; testId: string }> {
  return [
    { key: 'broadcasts.audience', value: run.audienceSize, testId: 'run-audience' },
    { key: 'broadcasts.holdoutSize', value: run.holdoutSize, testId: 'run-holdout' },
    { key: 'broadcasts.sent', value: run.sent + run.delivered, testId: 'run-sent' },
    { key: 'broadcasts.delivered', value: run.delivered, testId: 'run-delivered' },
    { key: 'broadcasts.failed', value: run.failed, testId: 'run-failed' },
    { key: 'broadcasts.suppressed', value: run.suppressed, testId: 'run-suppressed' },
    { key: 'broadcasts.opened', value: run.opened, testId: 'run-opened' },
    { key: 'broadcasts.clicked', value: run.clicked, testId: 'run-clicked' },
  ]
}

/**
 * The run's messages by outcome as bars: where each message is now (waiting, with the provider,
 * delivered, failed, stopped by the rules), then how many were opened and clicked.
 */
export function runOutcomesOption(run: BroadcastRun, t: Translate) {
  const bars: Array<[MessageKey, number, string]> = [
    ['broadcasts.waiting', run.queued + run.sending, '#94a3b8'],
    ['broadcasts.sentOnly', run.sent, '#60a5fa'],
    ['broadcasts.delivered', run.delivered, '#0f766e'],
    ['broadcasts.failed', run.failed, '#dc2626'],
    ['broadcasts.suppressed', run.suppressed, '#f59e0b'],
    ['broadcasts.opened', run.opened, '#2563eb'],
    ['broadcasts.clicked', run.clicked, '#7c3aed'],
  ]
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'axis' },
    grid: { left: 12, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: bars.map(([key]) => t(key)) },
    series: [
      {
        name: t('broadcasts.outcomes'),
        type: 'bar',
        barMaxWidth: 24,
        label: { show: true, position: 'right' },
        data: bars.map(([, value, color]) => ({ value, itemStyle: { color } })),
      },
    ],
  }
}
