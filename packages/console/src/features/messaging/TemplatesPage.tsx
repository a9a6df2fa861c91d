import { CHANNELS, MESSAGE_CATEGORIES, routes, type Channel, type MessageCategory, type MessageTemplate } from '@reachloop/domain'
import { Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tag } from 'antd'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useCall } from '../../shared/use-load.js'
import { useSession } from '../../shared/session.js'
import { ChannelTag, channelIcon, emptyContent } from './channels.js'
import { TemplateStateTag } from './TemplateStateTag.js'

/** Message templates with their channel, category and state; a new one picks its channel and opens the editor. */
export function TemplatesPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const [channel, setChannel] = useState<Channel>()
  const [creating, setCreating] = useState(false)
  const { data, loading } = useCall(routes.listTemplates, {})
  const items = (data?.items ?? []).filter((tpl) => !channel || tpl.channel === channel)
  return (
    <Card
      title={t('messaging.templates.title')}
      extra={
        <Space wrap>
          <Select
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t('messaging.templates.allChannels')}
            value={channel}
            onChange={setChannel}
            options={CHANNELS.map((c) => ({ value: c, label: t(`messaging.channel.${c}`) }))}
          />
          {can('messaging.write') && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="new-template">
              {t('messaging.templates.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<MessageTemplate>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="templates-table"
        columns={[
          {
            title: t('messaging.template.name'),
            dataIndex: 'name',
            render: (name: string, tpl) => (
              <Link to={`/messaging/templates/${tpl.id}`} data-testid={`open-template-${name}`}>
                {name}
              </Link>
            ),
          },
          { title: t('messaging.template.channel'), dataIndex: 'channel', render: (c: Channel) => <ChannelTag channel={c} /> },
          {
            title: t('messaging.template.category'),
            dataIndex: 'category',
            responsive: ['sm'],
            render: (c: MessageCategory) => <Tag color={c === 'marketing' ? 'magenta' : 'geekblue'}>{t(`messaging.category.${c}`)}</Tag>,
          },
          { title: t('messaging.template.state'), key: 'state', render: (_: unknown, tpl) => <TemplateStateTag template={tpl} /> },
          {
            title: t('messaging.template.updatedAt'),
            dataIndex: 'updatedAt',
            responsive: ['md'],
            render: (at: string) => formatTime(at, language),
          },
        ]}
      />
      <NewTemplateModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  )
}

/** A new template: its name, channel and category; the editor opens on its empty draft. */
function NewTemplateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n()
  const navigate = useNavigate()
  const { busy, run } = useAction()
  const [form] = Form.useForm<{ name: string; channel: Channel; category: MessageCategory }>()
  const create = () =>
    run(async () => {
      const { name, channel, category } = await form.validateFields()
      const created = await api.call(routes.createTemplate, { body: { name: name.trim(), category, draft: emptyContent(channel) } })
      onClose()
      navigate(`/messaging/templates/${created.id}`)
    })
  return (
    <Modal
      open={open}
      title={t('messaging.templates.new')}
      onOk={() => void create()}
      onCancel={onClose}
      okText={t('messaging.templates.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'create-template-submit' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ category: 'marketing' }} preserve={false}>
        <Form.Item name="name" label={t('messaging.template.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="new-template-name" />
        </Form.Item>
        <Form.Item name="channel" label={t('messaging.template.channel')} rules={[{ required: true }]}>
          <Radio.Group data-testid="new-template-channel">
            <Space wrap>
              {CHANNELS.map((c) => (
                <Radio.Button key={c} value={c}>
                  <span data-testid={`new-template-channel-${c}`}>
                    <Space size={4}>
                      {channelIcon(c)}
                      {t(`messaging.channel.${c}`)}
                    </Space>
                  </span>
                </Radio.Button>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="category" label={t('messaging.template.category')}>
          <Radio.Group options={MESSAGE_CATEGORIES.map((c) => ({ value: c, label: t(`messaging.category.${c}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
