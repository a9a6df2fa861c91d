import type { Role, RoleInfo } from '@reachloop/domain'
import { Collapse, Table, Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { roleKey } from './role-key.js'

/** The roles and their permissions, folded away under the users. */
export function RolesCollapse({ roles }: { roles: RoleInfo[] }) {
  const { t } = useI18n()
  return (
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
  )
}
