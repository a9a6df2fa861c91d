import type { Computation } from '@reachloop/domain'
import { SyncOutlined } from '@ant-design/icons'
import { Tag, Tooltip } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { useElapsedSeconds } from '../../shared/use-elapsed-seconds.js'

/**
 * Where a full computation of a segment, rule tag or computed property stands: queued, running (for
 * how long), retrying or failed (with the error), or nothing when it is done — a failure that a later
 * computation (`computedAt`) superseded is not shown.
 */
export function ComputationState({ computation, computedAt }: { computation: Computation | undefined; computedAt: string | null }) {
  const { t, language } = useI18n()
  const running = computation?.state === 'running' ? Date.parse(computation.since) : null
  const seconds = useElapsedSeconds(running)
  if (!computation) return null
  if (computation.state === 'failed' && computedAt !== null && computedAt > computation.since) return null
  const testId = `computation-${computation.state}`
  switch (computation.state) {
    case 'queued':
      return (
        <Tag color="default" data-testid={testId}>
          {t('computation.queued')}
        </Tag>
      )
    case 'running':
      return (
        <Tag color="processing" icon={<SyncOutlined spin />} data-testid={testId}>
          {t('computation.running', { seconds })}
        </Tag>
      )
    case 'retrying':
      return (
        <Tooltip title={computation.lastError}>
          <Tag color="warning" data-testid={testId}>
            {t('computation.retrying', { attempt: computation.attempts + 1, at: formatTime(computation.since, language) })}
          </Tag>
        </Tooltip>
      )
    case 'failed':
      return (
        <Tooltip title={computation.lastError}>
          <Tag color="error" data-testid={testId}>
            {t('computation.failed', { at: formatTime(computation.since, language) })}
          </Tag>
        </Tooltip>
      )
  }
}
