import { routes, type NewSource, type Source } from '@reachloop/domain'
import { Button, Card, Form, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { NewSourceModal } from './NewSourceModal.js'
import { sourceColumns } from './source-columns.js'

/** The sources events come through, each with its write key; create, rotate a key, delete. */
export function SourcesPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { busy, run } = useAction()
  const { data, loading, reload } = useCall(routes.listSources, {})
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm<NewSource>()
  const write = can('profiles.write')

  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work()
      await reload()
    })
  const create = async () => {
    const values = await form.validateFields()
    await act(async () => {
      await api.call(routes.createSource, { body: values })
      setCreating(false)
      form.resetFields()
    })
  }

  return (
    <Card
      title={t('sources.title')}
      extra={
        write && (
          <Button type="primary" data-testid="create-source" onClick={() => setCreating(true)}>
            {t('sources.create')}
          </Button>
        )
      }
    >
      <Table<Source>
        rowKey="id"
        loading={loading || busy}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="sources-table"
        columns={sourceColumns(t, language, write, act)}
      />
      <NewSourceModal open={creating} form={form} onOk={() => void create()} onCancel={() => setCreating(false)} />
    </Card>
  )
}
