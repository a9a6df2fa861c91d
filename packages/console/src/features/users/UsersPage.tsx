import { routes, type NewUser, type User } from '@reachloop/domain'
import { App, Button, Card, Form, Space, Table } from 'antd'
import { useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useLoad } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { AddUserModal } from './AddUserModal.js'
import { RolesCollapse } from './RolesCollapse.js'
import { userColumns } from './user-columns.js'

/** The workspace's users and their roles; who may manage users adds, changes, disables and removes them. */
export function UsersPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const { data, loading, reload } = useLoad(async () => {
    const [users, roles] = await Promise.all([api.call(routes.listUsers, {}), api.call(routes.listRoles, {})])
    return { users: users.items, roles: roles.items }
  }, [])
  const [adding, setAdding] = useState(false)
  const [form] = Form.useForm<NewUser>()
  const manage = can('users.manage')

  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work()
      await reload()
    })
  const add = async () => {
    const values = await form.validateFields()
    await act(async () => {
      await api.call(routes.createUser, { body: { ...values, password: values.password || undefined } })
      void message.success(t('users.added'))
      setAdding(false)
      form.resetFields()
    })
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('users.title')}
        extra={
          manage && (
            <Button type="primary" data-testid="add-user" onClick={() => setAdding(true)}>
              {t('users.add')}
            </Button>
          )
        }
      >
        <Table<User>
          rowKey="id"
          loading={loading || busy}
          dataSource={data?.users ?? []}
          pagination={false}
          data-testid="users-table"
          columns={userColumns(t, language, manage, act)}
        />
      </Card>
      <RolesCollapse roles={data?.roles ?? []} />
      <AddUserModal open={adding} form={form} onOk={() => void add()} onCancel={() => setAdding(false)} />
    </Space>
  )
}
