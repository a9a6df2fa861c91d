import { routes, type ApiToken, type NewApiToken } from '@reachloop/domain'
import { Button, Card, Form, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { tokenColumns } from './token-columns.js'
import { NewTokenModal, TokenSecretModal } from './TokenModals.js'

/** API tokens: create one (its secret shown once), see when each was last used, revoke. */
export function TokensPage() {
  const { t, language } = useI18n()
  const { busy, run } = useAction()
  const { data, loading, reload } = useCall(routes.listTokens, {})
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<string | null>(null)
  const [form] = Form.useForm<NewApiToken>()

  const create = async () => {
    const values = await form.validateFields()
    await run(async () => {
      const created = await api.call(routes.createToken, { body: values })
      setCreating(false)
      form.resetFields()
      setSecret(created.secret)
      await reload()
    })
  }
  const revoke = (id: string) =>
    run(async () => {
      await api.call(routes.revokeToken, { params: { id } })
      await reload()
    })

  return (
    <Card
      title={t('tokens.title')}
      extra={
        <Button type="primary" data-testid="create-token" onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      }
    >
      <Table<ApiToken>
        rowKey="id"
        loading={loading || busy}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={tokenColumns(t, language, revoke)}
      />
      <NewTokenModal open={creating} form={form} onOk={() => void create()} onCancel={() => setCreating(false)} />
      <TokenSecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  )
}
