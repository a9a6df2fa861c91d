import { CHANNELS, routes, SUBSCRIPTION_POLICIES, type Channel, type SubscriptionGroup, type SubscriptionPolicy } from '@reachloop/domain'
import { Button, Card, Form, Input, Modal, Radio, Select, Table, Tag, type FormInstance } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { fieldProblems } from '../../shared/field-problems.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { useCall } from '../../shared/use-load.js'
import { ChannelTag } from './channels.js'

type GroupForm = { key: string; name: string; channel: Channel; policy: SubscriptionPolicy }

/** Subscription groups: key, name, channel and policy; a new one, or a group's name and policy changed. */
export function SubscriptionGroupsCard({ writable }: { writable: boolean }) {
  const { t } = useI18n()
  const showError = useErrorMessage()
  const groups = useCall(routes.listSubscriptionGroups, {})
  const [editing, setEditing] = useState<SubscriptionGroup | 'new' | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm<GroupForm>()
  const open = (group: SubscriptionGroup | 'new') => {
    setEditing(group)
    form.setFields([{ name: 'key', errors: [] }])
    form.setFieldsValue(group === 'new' ? { key: '', name: '', channel: 'email', policy: 'opt_out' } : group)
  }
  const save = async () => {
    const values = await form.validateFields().catch(() => null)
    if (!values || editing === null) return
    setBusy(true)
    try {
      if (editing === 'new')
        await api.call(routes.createSubscriptionGroup, { body: { ...values, key: values.key.trim(), name: values.name.trim() } })
      else
        await api.call(routes.updateSubscriptionGroup, {
          params: { id: editing.id },
          body: { name: values.name.trim(), policy: values.policy },
        })
      setEditing(null)
      await groups.reload()
    } catch (error) {
      const problems = fieldProblems(error)
      if (problems)
        form.setFields(Object.entries(problems).map(([name, message]) => ({ name: name as keyof GroupForm, errors: [message] })))
      else showError(error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Card
      title={t('messaging.groups.title')}
      extra={
        writable && (
          <Button onClick={() => open('new')} data-testid="new-group">
            {t('messaging.groups.new')}
          </Button>
        )
      }
    >
      <Table<SubscriptionGroup>
        rowKey="id"
        size="small"
        loading={groups.loading}
        dataSource={groups.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="groups-table"
        columns={[
          { title: t('messaging.groups.name'), dataIndex: 'name' },
          { title: t('messaging.groups.key'), dataIndex: 'key', render: (key: string) => <code>{key}</code> },
          { title: t('messaging.template.channel'), dataIndex: 'channel', render: (c: Channel) => <ChannelTag channel={c} /> },
          {
            title: t('messaging.groups.policy'),
            dataIndex: 'policy',
            render: (p: SubscriptionPolicy) => <Tag color={p === 'opt_in' ? 'orange' : 'blue'}>{t(`messaging.policy.${p}`)}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, g) =>
              writable && (
                <Button size="small" onClick={() => open(g)} data-testid={`edit-group-${g.key}`}>
                  {t('messaging.edit')}
                </Button>
              ),
          },
        ]}
      />
      <GroupModal editing={editing} form={form} busy={busy} onSave={() => void save()} onCancel={() => setEditing(null)} />
    </Card>
  )
}

/** A new group (key, name, channel, policy), or an existing one's name and policy. */
function GroupModal({
  editing,
  form,
  busy,
  onSave,
  onCancel,
}: {
  editing: SubscriptionGroup | 'new' | null
  form: FormInstance<GroupForm>
  busy: boolean
  onSave: () => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal
      open={editing !== null}
      title={editing === 'new' ? t('messaging.groups.new') : t('messaging.groups.edit')}
      onOk={onSave}
      onCancel={onCancel}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'group-save' } as Record<string, string>) }}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="key"
          label={t('messaging.groups.key')}
          extra={t('messaging.groups.keyHint')}
          rules={[{ required: true, pattern: /^[a-z0-9_]+$/, max: 64, message: t('messaging.groups.keyRule') }]}
        >
          <Input disabled={editing !== 'new'} data-testid="group-key" />
        </Form.Item>
        <Form.Item name="name" label={t('messaging.groups.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="group-name" />
        </Form.Item>
        <Form.Item name="channel" label={t('messaging.template.channel')} rules={[{ required: true }]}>
          <Select disabled={editing !== 'new'} options={CHANNELS.map((c) => ({ value: c, label: t(`messaging.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="policy" label={t('messaging.groups.policy')} rules={[{ required: true }]}>
          <Radio.Group>
            {SUBSCRIPTION_POLICIES.map((p) => (
              <Radio key={p} value={p} style={{ display: 'flex', marginBottom: 8 }}>
                {t(`messaging.policy.${p}`)} — <span style={{ color: '#888' }}>{t(`messaging.policy.${p}.hint`)}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
      </Form>
    </Modal>
  )
}
