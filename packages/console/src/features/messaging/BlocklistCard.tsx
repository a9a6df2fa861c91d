import { BLOCKED_BOUNCED_PREFIX, BLOCKED_BY_HAND, CHANNELS, routes, type Channel } from '@reachloop/domain'
import { Button, Card, Form, Input, Select, Space, Table } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'
import { useCall } from '../../shared/use-load.js'
import { ChannelTag } from './channels.js'

type Blocked = { channel: Channel; address: string; reason: string; createdAt: string }

/** The two reasons the server writes itself, in the console's language; an operator's own stays as typed. */
function reasonText(reason: string, t: ReturnType<typeof useI18n>['t']): string {
  if (reason === BLOCKED_BY_HAND) return t('messaging.blocklist.byHand')
  if (reason.startsWith(BLOCKED_BOUNCED_PREFIX))
    return t('messaging.blocklist.bounced', { detail: reason.slice(BLOCKED_BOUNCED_PREFIX.length) })
  return reason
}

/** Addresses never contacted on a channel: the list, one added, one removed. */
export function BlocklistCard({ writable }: { writable: boolean }) {
  const { t, language } = useI18n()
  const { busy, run } = useAction()
  const confirmDelete = useConfirmedDelete()
  const list = useCall(routes.listBlocklist, {})
  const [form] = Form.useForm<{ channel: Channel; address: string; reason?: string }>()
  const add = () =>
    run(async () => {
      const values = await form.validateFields()
      await api.call(routes.addToBlocklist, {
        body: {
          channel: values.channel,
          address: values.address.trim(),
          ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}),
        },
      })
      form.resetFields(['address', 'reason'])
      await list.reload()
    })
  return (
    <Card title={t('messaging.blocklist.title')}>
      {writable && (
        <Form form={form} layout="inline" initialValues={{ channel: 'sms' }} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="channel" rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={CHANNELS.map((c) => ({ value: c, label: t(`messaging.channel.${c}`) }))} />
          </Form.Item>
          <Form.Item name="address" rules={[{ required: true, max: 300 }]}>
            <Input placeholder={t('messaging.blocklist.address')} style={{ width: 240 }} data-testid="block-address" />
          </Form.Item>
          <Form.Item name="reason" rules={[{ max: 200 }]}>
            <Input placeholder={t('messaging.blocklist.reason')} style={{ width: 200 }} />
          </Form.Item>
          <Button loading={busy} onClick={() => void add()} data-testid="block-add">
            {t('messaging.blocklist.add')}
          </Button>
        </Form>
      )}
      <Table<Blocked>
        rowKey={(b) => `${b.channel}:${b.address}`}
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid="blocklist-table"
        columns={[
          { title: t('messaging.template.channel'), dataIndex: 'channel', render: (c: Channel) => <ChannelTag channel={c} /> },
          { title: t('messaging.blocklist.address'), dataIndex: 'address' },
          { title: t('messaging.blocklist.reason'), dataIndex: 'reason', render: (reason: string) => reasonText(reason, t) },
          { title: t('messaging.blocklist.since'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, b) =>
              writable && (
                <Space>
                  <Button
                    size="small"
                    type="text"
                    danger
                    onClick={() =>
                      confirmDelete({
                        name: b.address,
                        title: t('messaging.blocklist.removeConfirm', { address: b.address }),
                        remove: () => api.call(routes.removeFromBlocklist, { body: { channel: b.channel, address: b.address } }),
                        onDeleted: list.reload,
                      })
                    }
                  >
                    {t('messaging.remove')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
    </Card>
  )
}
