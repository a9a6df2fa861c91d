import { routes, type Import } from '@reachloop/domain'
import { Button, Card, Space, Table } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { saveFile } from '../../shared/save-file.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { importColumns } from './import-columns.js'
import { ImportWizard } from './ImportWizard.js'

const POLL_MS = 1500

/** Imports with live progress, and the wizard for a new one. */
export function ImportsPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { run } = useAction()
  const { data, setData } = useCall(routes.listImports, {})
  const [wizard, setWizard] = useState(false)
  // Progress moves on its own: look again quietly (a failed look is skipped).
  const poll = useCallback(() => api.call(routes.listImports, {}).then(setData, () => undefined), [setData])
  useEffect(() => {
    const timer = setInterval(() => void poll(), POLL_MS)
    return () => clearInterval(timer)
  }, [poll])
  const downloadErrors = (id: string) =>
    run(async () => {
      const { blob, fileName } = await api.download(routes.getImportErrors, { params: { id } })
      saveFile(blob, fileName ?? `import-${id}-errors.csv`)
    })

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
          dataSource={data?.items ?? []}
          pagination={false}
          data-testid="imports-table"
          columns={importColumns(t, language, (id) => void downloadErrors(id))}
        />
      </Card>
      <ImportWizard
        open={wizard}
        onClose={() => {
          setWizard(false)
          void poll()
        }}
      />
    </Space>
  )
}
