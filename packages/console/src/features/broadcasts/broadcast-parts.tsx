import type { Broadcast, BroadcastRun } from '@reachloop/domain'
import { Progress, Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

const STATE_COLOURS: Record<Broadcast['state'], string> = {
  draft: 'default',
  scheduled: 'blue',
  running: 'processing',
  paused: 'warning',
  completed: 'success',
  cancelled: 'default',
}
const RUN_COLOURS: Record<BroadcastRun['state'], string> = {
  preparing: 'processing',
  sending: 'processing',
  paused: 'warning',
  completed: 'success',
  cancelled: 'default',
}

/** A broadcast's state as a coloured tag. */
export function BroadcastStateTag({ state }: { state: Broadcast['state'] }) {
  const { t } = useI18n()
  return (
    <Tag color={STATE_COLOURS[state]} data-testid="broadcast-state">
      {t(`broadcasts.state.${state}`)}
    </Tag>
  )
}

/** A run's state as a coloured tag. */
export function RunStateTag({ state }: { state: BroadcastRun['state'] }) {
  const { t } = useI18n()
  return <Tag color={RUN_COLOURS[state]}>{t(`broadcasts.run.${state}`)}</Tag>
}

/** Whether a run is still moving, so its page looks again. */
export const runIsLive = (run: BroadcastRun) => run.state === 'preparing' || run.state === 'sending'

/** The newest run of a broadcast (the API sends the latest few). */
export const latestRun = (broadcast: Broadcast): BroadcastRun | undefined =>
  [...broadcast.runs].sort((a, b) => Date.parse(b.scheduledFor) - Date.parse(a.scheduledFor))[0]

/** How far a run got, as a bar to 100 %. */
export function RunProgress({ run, size }: { run: BroadcastRun; size?: 'small' }) {
  const percent = Math.min(100, Math.max(0, Math.round(run.progress)))
  const status = run.state === 'cancelled' ? 'exception' : percent >= 100 ? 'success' : runIsLive(run) ? 'active' : 'normal'
  return (
    <div data-testid="run-progress" data-percent={percent} style={size === 'small' ? { minWidth: 160 } : undefined}>
      <Progress percent={percent} status={status} size={size === 'small' ? 'small' : 'default'} />
    </div>
  )
}
