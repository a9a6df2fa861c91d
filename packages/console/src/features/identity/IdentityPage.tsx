import { routes, type IdentifierTypeChange, type IdentifierTypeRule } from '@reachloop/domain'
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

type Editing = IdentifierTypeChange & { type: string; isNew: boolean }

/** The workspace's identity resolution rules: priority, limit per customer, blocked values, custom types. */
export function IdentityPage() {
  const { t } = useI18n()
  const { can } = useSession()
  const { busy, run } = useAction()
  const [types, setTypes] = useState<IdentifierTypeRule[]>([])
  const [editing, setEditing] = useState<Editing | null>(null)
  const [form] = Form.useForm<Editing>()

  const load = useCallback(async () => setTypes((await api.call(routes.listIdentifierTypes, {})).items), [])
  useEffect(() => void run(load), [run, load])
  const open = (value: Editing) => {
    setEditing(value)
    form.setFieldsValue(value)
  }
  const save = async () => {
    const values = await form.validateFields()
    await run(async () => {
      await api.call(routes.setIdentifierType, {
        params: { type: values.type },
        body: { priority: values.priority, maxPerProfile: values.maxPerProfile, blockedValues: values.blockedValues ?? [] },
      })
      setEditing(null)
      await load()
    })
  }
  const write = can('profiles.write')
  return (
    <Card
      title={t('identity.title')}
      extra={
        write && (
          <Button onClick={() => open({ type: '', priority: 50, maxPerProfile: 1, blockedValues: [], isNew: true })}>
            {t('identity.add')}
          </Button>
        )
      }
    >
      <Alert type="info" showIcon message={t('identity.intro')} style={{ marginBottom: 16 }} />
      <Table<IdentifierTypeRule>
        rowKey="type"
        loading={busy}
        dataSource={types}
        pagination={false}
        data-testid="identity-types"
        columns={[
          {
            title: t('identity.type'),
            dataIndex: 'type',
            render: (type: string, r) => (
              <>
                {type} {r.standard ? <Tag>{t('identity.standard')}</Tag> : <Tag color="purple">{t('identity.custom')}</Tag>}
              </>
            ),
          },
          { title: t('identity.priority'), dataIndex: 'priority' },
          { title: t('identity.max'), dataIndex: 'maxPerProfile' },
          {
            title: t('identity.blocked'),
            dataIndex: 'blockedValues',
            render: (values: string[]) => values.map((v) => <Tag key={v}>{v}</Tag>),
          },
          ...(write
            ? [
                {
                  title: t('common.actions'),
                  key: 'edit',
                  render: (_: unknown, r: IdentifierTypeRule) => (
                    <Button size="small" onClick={() => open({ ...r, isNew: false })}>
                      {t('identity.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        title={editing?.isNew ? t('identity.add') : editing?.type}
        open={editing !== null}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="type"
            label={t('identity.type')}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}
            hidden={!editing?.isNew}
          >
            <Input placeholder="member_card" />
          </Form.Item>
          <Form.Item name="priority" label={t('identity.priority')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1000} />
          </Form.Item>
          <Form.Item name="maxPerProfile" label={t('identity.max')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
          <Form.Item name="blockedValues" label={t('identity.blocked')}>
            <Select mode="tags" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
