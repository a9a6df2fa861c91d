import { routes, type Import } from '@reachloop/domain'
import { Button, Card, Progress, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { saveFile } from '../../shared/save-file.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { percentOf } from './import-progress.js'
import { ImportWizard } from './ImportWizard.js'

const STATUS_COLORS: Record<Import['status'], string> = {
  uploaded: 'default',
  queued: 'blue',
  running: 'processing',
  done: 'green',
  failed: 'red',
}
const POLL_MS = 1500

/** Imports with live progress, and the wizard for a new one. */
export function ImportsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { run } = useAction()
  const [imports, setImports] = useState<Import[]>([])
  const [wizard, setWizard] = useState(false)
  const downloadErrors = (id: string) =>
    run(async () => {
      const { blob, fileName } = await api.download(routes.getImportErrors, { params: { id } })
      saveFile(blob, fileName ?? `import-${id}-errors.csv`)
    })

  const load = useCallback(async () => setImports((await api.call(routes.listImports, {})).items), [])
  useEffect(() => {
    void run(load)
    const timer = setInterval(() => void load().catch(() => undefined), POLL_MS)
    return () => clearInterval(timer)
  }, [load, run])

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('imports.title')}
        extra={
          can('profiles.write') && (
            <Button type="primary" data-testid="new-import" onClick={() => setWizard(true)}>
              {t('imports.new')}
            </Button>
          )
        }
      >
        <Table<Import>
          rowKey="id"
          dataSource={imports}
          pagination={false}
          data-testid="imports-table"
          columns={[
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
                  {i.rejected > 0 && <Typography.Link onClick={() => void downloadErrors(i.id)}>{t('imports.errors')}</Typography.Link>}
                </Space>
              ),
            },
            { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
          ]}
        />
      </Card>
      <ImportWizard
        open={wizard}
        onClose={() => {
          setWizard(false)
          void load()
        }}
      />
    </Space>
  )
}
