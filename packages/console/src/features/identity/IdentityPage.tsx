import { routes, type IdentifierTypeRule } from '@reachloop/domain'
import { Alert, Button, Card, Form, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { identifierTypeColumns } from './identifier-type-columns.js'
import { IdentifierTypeModal, type Editing } from './IdentifierTypeModal.js'

/** The workspace's identity resolution rules: priority, limit per customer, blocked values, custom types. */
export function IdentityPage() {
  const { t } = useI18n()
  const { can } = useSession()
  const { busy, run } = useAction()
  const { data, loading, reload } = useCall(routes.listIdentifierTypes, {})
  const [editing, setEditing] = useState<Editing | null>(null)
  const [form] = Form.useForm<Editing>()

  const open = (value: Editing) => {
    setEditing(value)
    form.setFieldsValue(value)
  }
  const save = async () => {
    const values = await form.validateFields()
    await run(async () => {
      await api.call(routes.setIdentifierType, {
        params: { type: values.type },
        body: { priority: values.priority, maxPerProfile: values.maxPerProfile, blockedValues: values.blockedValues ?? [] },
      })
      setEditing(null)
      await reload()
    })
  }
  const write = can('profiles.write')
  return (
    <Card
      title={t('identity.title')}
      extra={
        write && (
          <Button onClick={() => open({ type: '', priority: 50, maxPerProfile: 1, blockedValues: [], isNew: true })}>
            {t('identity.add')}
          </Button>
        )
      }
    >
      <Alert type="info" showIcon message={t('identity.intro')} style={{ marginBottom: 16 }} />
      <Table<IdentifierTypeRule>
        rowKey="type"
        loading={loading || busy}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="identity-types"
        columns={identifierTypeColumns(t, write ? (r) => open({ ...r, isNew: false }) : undefined)}
      />
      <IdentifierTypeModal editing={editing} form={form} onOk={() => void save()} onCancel={() => setEditing(null)} />
    </Card>
  )
}
