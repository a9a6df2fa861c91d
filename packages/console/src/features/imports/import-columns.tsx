import type { Import } from '@reachloop/domain'
import { Progress, Space, Tag, Typography, type TableColumnsType } from 'antd'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { percentOf } from './import-progress.js'

const STATUS_COLORS: Record<Import['status'], string> = {
  uploaded: 'default',
  queued: 'blue',
  running: 'processing',
  done: 'green',
  failed: 'red',
}

/** The imports table's columns: file, kind, status, progress, counts (with the rejected rows to download), when. */
export const importColumns = (t: Translate, language: Language, downloadErrors: (id: string) => void): TableColumnsType<Import> => [
  { title: t('imports.file'), dataIndex: 'fileName' },
  {
    title: t('imports.kind'),
    dataIndex: 'kind',
    render: (kind: string | null) => (kind ? t(`imports.kind.${kind}` as MessageKey) : '—'),
  },
  {
    title: t('imports.status'),
    dataIndex: 'status',
    render: (status: Import['status']) => <Tag color={STATUS_COLORS[status]}>{t(`imports.status.${status}` as MessageKey)}</Tag>,
  },
  {
    title: t('imports.progress'),
    key: 'progress',
    width: 220,
    render: (_: unknown, i: Import) => (
      <Progress
        percent={percentOf(i)}
        size="small"
        status={i.status === 'failed' ? 'exception' : i.status === 'done' ? 'success' : 'active'}
      />
    ),
  },
  {
    title: `${t('imports.accepted')} / ${t('imports.duplicates')} / ${t('imports.rejected')}`,
    key: 'counts',
    render: (_: unknown, i: Import) => (
      <Space>
        <span data-testid={`import-counts-${i.fileName}`}>{`${i.accepted} / ${i.duplicates} / ${i.rejected}`}</span>
        {i.rejected > 0 && <Typography.Link onClick={() => downloadErrors(i.id)}>{t('imports.errors')}</Typography.Link>}
      </Space>
    ),
  },
  { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
]
