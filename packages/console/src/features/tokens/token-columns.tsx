import type { ApiToken, Role } from '@reachloop/domain'
import { Button, Popconfirm, Typography, type TableColumnsType } from 'antd'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

/** The tokens table's columns: name, role, prefix, when created and last used, and revoke. */
export const tokenColumns = (t: Translate, language: Language, revoke: (id: string) => Promise<unknown>): TableColumnsType<ApiToken> => [
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
]
