import type { Job, JobState } from '@reachloop/domain'
import { Button, Tag, Typography, type TableColumnsType } from 'antd'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

const STATE_COLORS: Record<JobState, string> = { queued: 'blue', running: 'cyan', done: 'green', dead: 'red' }

/** The jobs table's columns; `onRetry` (for who may manage jobs) retries a dead job. */
export const jobColumns = (t: Translate, language: Language, onRetry: ((id: string) => void) | undefined): TableColumnsType<Job> => [
  { title: 'ID', dataIndex: 'id', width: 90 },
  { title: t('jobs.queue'), dataIndex: 'queue' },
  {
    title: t('jobs.state'),
    dataIndex: 'state',
    render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{t(`jobs.${s}` as MessageKey)}</Tag>,
  },
  { title: t('jobs.attempts'), key: 'attempts', render: (_: unknown, job: Job) => `${job.attempts} / ${job.maxAttempts}` },
  { title: t('jobs.runAt'), dataIndex: 'runAt', render: (at: string) => formatTime(at, language) },
  {
    title: t('jobs.lastError'),
    dataIndex: 'lastError',
    ellipsis: true,
    render: (error: string | null) =>
      error ? (
        <Typography.Text type="danger" title={error}>
          {error.split('\n')[0]}
        </Typography.Text>
      ) : (
        '—'
      ),
  },
  {
    title: t('common.actions'),
    key: 'actions',
    render: (_: unknown, job: Job) =>
      job.state === 'dead' && onRetry ? (
        <Button size="small" onClick={() => onRetry(job.id)} data-testid={`retry-job-${job.id}`}>
          {t('jobs.retry')}
        </Button>
      ) : null,
  },
]
