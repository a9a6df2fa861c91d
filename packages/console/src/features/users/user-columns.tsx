import { ROLES, routes, type Role, type User } from '@reachloop/domain'
import { Button, Popconfirm, Select, Space, Tag, type TableColumnsType } from 'antd'
import type { Language, Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { roleKey } from './role-key.js'

/** Runs a change to users, then loads them again. */
type Act = (work: () => Promise<unknown>) => Promise<unknown>

const actionsColumn = (t: Translate, act: Act) => ({
  title: t('common.actions'),
  key: 'actions',
  render: (_: unknown, user: User) => (
    <Space>
      <Button
        size="small"
        onClick={() => void act(() => api.call(routes.updateUser, { params: { id: user.id }, body: { disabled: !user.disabled } }))}
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
})

/** The users table's columns; who may manage users changes roles, disables and removes here. */
export const userColumns = (t: Translate, language: Language, manage: boolean, act: Act): TableColumnsType<User> => [
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
    render: (disabled: boolean) => (disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>),
  },
  {
    title: t('users.lastLogin'),
    dataIndex: 'lastLoginAt',
    render: (at: string | null) => (at ? formatTime(at, language) : t('common.never')),
  },
  ...(manage ? [actionsColumn(t, act)] : []),
]
