import { CHANNELS, routes, type ProviderAccount } from '@reachloop/domain'
import { Button, Card, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd'
import { useState } from 'react'
import { useI18n, type Translate } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'
import { useCall } from '../../shared/use-load.js'
import { useSession } from '../../shared/session.js'
import { ChannelTag } from './channels.js'
import { ConnectionTestButton } from './ConnectionTestButton.js'
import { ProviderAccountModal } from './ProviderAccountModal.js'

const channelOrder = (a: ProviderAccount) => CHANNELS.indexOf(a.channel)

/** The accounts table's columns before its actions: channel, kind, name and default, rate limit, callback URL. */
function accountColumns(t: Translate): TableColumnsType<ProviderAccount> {
  return [
    { title: t('messaging.template.channel'), dataIndex: 'channel', render: (c: ProviderAccount['channel']) => <ChannelTag channel={c} /> },
    { title: t('messaging.providers.kind'), dataIndex: 'kind', render: (k: ProviderAccount['kind']) => t(`messaging.kind.${k}`) },
    {
      title: t('messaging.providers.name'),
      dataIndex: 'name',
      render: (name: string, a) => (
        <Space size={4}>
          <span data-testid={`provider-${name}`}>{name}</span>
          {a.isDefault && <Tag color="green">{t('messaging.providers.default')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('messaging.providers.rate'),
      dataIndex: 'ratePerSecond',
      align: 'right',
      responsive: ['md'],
      render: (rate: number | null) => (rate === null ? t('messaging.providers.noLimit') : t('messaging.providers.perSecond', { rate })),
    },
    {
      title: (
        <Tooltip title={t('messaging.providers.callbackHint')}>
          <span>{t('messaging.providers.callback')}</span>
        </Tooltip>
      ),
      dataIndex: 'callbackUrl',
      responsive: ['lg'],
      render: (url: string) => (
        <Typography.Text code copyable={{ text: url }} style={{ fontSize: 12, maxWidth: 240 }} ellipsis={{ tooltip: url }}>
          {url}
        </Typography.Text>
      ),
    },
  ]
}

/** Provider accounts by channel: kind, name, default, rate limit, callback URL; create, edit, test, remove. */
export function ProvidersPage() {
  const { t } = useI18n()
  const { can } = useSession()
  const confirmDelete = useConfirmedDelete()
  const accounts = useCall(routes.listProviderAccounts, {})
  const kinds = useCall(routes.listProviderKinds, {}).data?.items ?? []
  const [editing, setEditing] = useState<ProviderAccount | null>(null)
  const [open, setOpen] = useState(false)
  const writable = can('messaging.write')
  const items = [...(accounts.data?.items ?? [])].sort((a, b) => channelOrder(a) - channelOrder(b) || a.name.localeCompare(b.name))
  const edit = (account: ProviderAccount | null) => {
    setEditing(account)
    setOpen(true)
  }
  const actions = (a: ProviderAccount) => (
    <Space wrap>
      <ConnectionTestButton account={a} />
      <Button size="small" onClick={() => edit(a)} data-testid={`edit-provider-${a.name}`}>
        {t('messaging.edit')}
      </Button>
      <Button
        size="small"
        danger
        type="text"
        onClick={() =>
          confirmDelete({
            name: a.name,
            title: t('messaging.providers.deleteConfirm', { name: a.name }),
            remove: () => api.call(routes.deleteProviderAccount, { params: { id: a.id } }),
            onDeleted: accounts.reload,
          })
        }
      >
        {t('segments.delete')}
      </Button>
    </Space>
  )
  return (
    <Card
      title={t('messaging.providers.title')}
      extra={
        writable && (
          <Button type="primary" onClick={() => edit(null)} data-testid="new-provider">
            {t('messaging.providers.new')}
          </Button>
        )
      }
    >
      <Table<ProviderAccount>
        rowKey="id"
        loading={accounts.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="providers-table"
        columns={[
          ...accountColumns(t),
          ...(writable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, a: ProviderAccount) => actions(a) }] : []),
        ]}
      />
      <ProviderAccountModal open={open} kinds={kinds} editing={editing} onClose={() => setOpen(false)} onSaved={accounts.reload} />
    </Card>
  )
}
