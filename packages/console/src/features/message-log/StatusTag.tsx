import type { MessageStatus } from '@reachloop/domain'
import { Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

const STATUS_COLOURS: Record<string, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'blue',
  delivered: 'success',
  opened: 'cyan',
  clicked: 'geekblue',
  failed: 'error',
  bounced: 'volcano',
  suppressed: 'warning',
  retryable: 'gold',
  reconciled_sent: 'blue',
  outcome_unknown: 'orange',
}

/** A message status (or a step of its timeline: opened, clicked) as a coloured tag. */
export function StatusTag({ status }: { status: MessageStatus | string }) {
  const { tMaybe } = useI18n()
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'} data-testid={`status-${status}`}>
      {tMaybe(`messageLog.status.${status}`, status)}
    </Tag>
  )
}
