import { ROLES, routes, type NewUser, type Role, type RoleInfo, type User } from '@reachloop/domain'
import { App, Button, Card, Collapse, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

const roleKey = (role: Role) => `role.${role}` as MessageKey

export function UsersPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy: loading, run } = useAction()
  const [users, setUsers] = useState<User[]>([])
  const [roles, setRoles] = useState<RoleInfo[]>([])
  const [adding, setAdding] = useState(false)
  const [form] = Form.useForm<NewUser>()
  const manage = can('users.manage')

  const load = useCallback(async () => {
    const [u, r] = await Promise.all([api.call(routes.listUsers, {}), api.call(routes.listRoles, {})])
    setUsers(u.items)
    setRoles(r.items)
  }, [])
  useEffect(() => void run(load), [run, load])

  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work()
      await load()
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
          loading={loading}
          dataSource={users}
          pagination={false}
          data-testid="users-table"
          columns={[
            { title: t('field.email'), dataIndex: 'email' },
            { title: t('field.name'), dataIndex: 'name' },
            {
              title: t('field.role'),
              dataIndex: 'role',
              render: (role: Role, user) =>
                manage ? (
                  <Select<Role>
                    value={role}
                    style={{ width: 140 }}
                    options={ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }))}
                    onChange={(next) => void act(() => api.call(routes.updateUser, { params: { id: user.id }, body: { role: next } }))}
                  />
                ) : (
                  t(roleKey(role))
                ),
            },
            {
              title: t('users.status'),
              dataIndex: 'disabled',
              render: (disabled: boolean) =>
                disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>,
            },
            {
              title: t('users.lastLogin'),
              dataIndex: 'lastLoginAt',
              render: (at: string | null) => (at ? formatTime(at, language) : t('common.never')),
            },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, user: User) => (
                      <Space>
                        <Button
                          size="small"
                          onClick={() =>
                            void act(() => api.call(routes.updateUser, { params: { id: user.id }, body: { disabled: !user.disabled } }))
                          }
                        >
                          {user.disabled ? t('users.enable') : t('users.disable')}
                        </Button>
                        <Popconfirm
                          title={t('users.removeConfirm')}
                          okText={t('common.confirm')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => act(() => api.call(routes.removeUser, { params: { id: user.id } }))}
                        >
                          <Button size="small" danger>
                            {t('users.remove')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Collapse
        items={[
          {
            key: 'roles',
            label: t('users.roles'),
            children: (
              <Table<RoleInfo>
                rowKey="name"
                size="small"
                pagination={false}
                dataSource={roles}
                columns={[
                  { title: t('field.role'), dataIndex: 'name', width: 140, render: (role: Role) => t(roleKey(role)) },
                  {
                    title: t('users.permissions'),
                    dataIndex: 'permissions',
                    render: (permissions: string[]) => permissions.map((p) => <Tag key={p}>{p}</Tag>),
                  },
                ]}
              />
            ),
          },
        ]}
      />
      <Modal
        title={t('users.add')}
        open={adding}
        onOk={() => void add()}
        onCancel={() => setAdding(false)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'add-user-submit' } as Record<string, string>}
      >
        <Form form={form} layout="vertical" initialValues={{ role: 'marketer' }}>
          <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email' }]}>
            <Input data-testid="add-user-email" />
          </Form.Item>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="add-user-name" />
          </Form.Item>
          <Form.Item name="role" label={t('field.role')} rules={[{ required: true }]}>
            <Select<Role> data-testid="add-user-role" options={ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }))} />
          </Form.Item>
          <Form.Item name="password" label={t('field.password')} extra={t('users.passwordHint')} rules={[{ min: 8 }]}>
            <Input.Password data-testid="add-user-password" autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
