import type { Job, JobState } from '@reachloop/domain'
import { Button, Tag, Typography, type TableColumnsType } from 'antd'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

const STATE_COLORS: Record<JobState, string> = { queued: 'blue', running: 'cyan', done: 'green', dead: 'red' }

/** A queue's name in words (its code when it has none). */
export const queueLabel = (tMaybe: (key: string, fallback: string) => string, queue: string) => tMaybe(`jobs.queue.${queue}`, queue)

/** The ids a payload names (segmentId, tagId, propertyId, importId, id) by name where known, else by a short id. */
export function payloadAbout(payload: unknown, names: ReadonlyMap<string, string>, t: Translate): string {
  if (typeof payload !== 'object' || payload === null) return '—'
  const ids = Object.entries(payload as Record<string, unknown>)
    .filter(([k, v]) => (k === 'id' || k.endsWith('Id')) && typeof v === 'string')
    .map(([, v]) => v as string)
  const shown = ids.map((id) => names.get(id) ?? id.slice(0, 8))
  const profiles = (payload as { profileIds?: unknown }).profileIds
  if (Array.isArray(profiles)) shown.push(t('jobs.profiles', { count: profiles.length }))
  return shown.length > 0 ? shown.join(' · ') : '—'
}

/** The jobs table's columns; `onRetry` (for who may manage jobs) retries a dead job. */
export const jobColumns = (
  t: Translate,
  tMaybe: (key: string, fallback: string) => string,
  language: Language,
  names: ReadonlyMap<string, string>,
  onRetry: ((id: string) => void) | undefined,
): TableColumnsType<Job> => [
  { title: 'ID', dataIndex: 'id', width: 90 },
  {
    title: t('jobs.queue'),
    dataIndex: 'queue',
    render: (queue: string) => <span title={queue}>{queueLabel(tMaybe, queue)}</span>,
  },
  { title: t('jobs.about'), key: 'about', render: (_: unknown, job: Job) => payloadAbout(job.payload, names, t) },
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
