import { ROLES, routes, type ApiToken, type NewApiToken, type Role } from '@reachloop/domain'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'

export function TokensPage() {
  const { t, language } = useI18n()
  const { message } = App.useApp()
  const { busy: loading, run } = useAction()
  const [tokens, setTokens] = useState<ApiToken[]>([])
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<string | null>(null)
  const [form] = Form.useForm<NewApiToken>()

  const load = useCallback(async () => setTokens((await api.call(routes.listTokens, {})).items), [])
  useEffect(() => void run(load), [run, load])

  const create = async () => {
    const values = await form.validateFields()
    await run(async () => {
      const created = await api.call(routes.createToken, { body: values })
      setCreating(false)
      form.resetFields()
      setSecret(created.secret)
      await load()
    })
  }
  const revoke = (id: string) =>
    run(async () => {
      await api.call(routes.revokeToken, { params: { id } })
      await load()
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
        loading={loading}
        dataSource={tokens}
        pagination={false}
        columns={[
          { title: t('field.name'), dataIndex: 'name' },
          { title: t('field.role'), dataIndex: 'role', render: (role: Role) => t(`role.${role}` as MessageKey) },
          { title: t('tokens.prefix'), dataIndex: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
          {
            title: t('tokens.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (at: string | null) => (at ? formatTime(at, language) : t('common.never')),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, token: ApiToken) => (
              <Popconfirm
                title={t('tokens.revokeConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => revoke(token.id)}
              >
                <Button size="small" danger>
                  {t('tokens.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        title={t('tokens.create')}
        open={creating}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="token-name" />
          </Form.Item>
          <Form.Item name="role" label={t('field.role')}>
            <Select<Role> allowClear options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={t('tokens.secretTitle')}
        open={secret !== null}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon message={t('tokens.secretHint')} />
          <Typography.Paragraph
            code
            copyable={{ text: secret ?? '', onCopy: () => void message.success(t('tokens.copied')) }}
            data-testid="token-secret"
          >
            {secret}
          </Typography.Paragraph>
        </Space>
      </Modal>
    </Card>
  )
}
