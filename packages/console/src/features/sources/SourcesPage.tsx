import { routes, SOURCE_KINDS, type NewSource, type Source } from '@reachloop/domain'
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../shared/api.js'
import { formatTime } from '../../shared/format.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { kindLabel } from './source-kind.js'
import { useSession } from '../../shared/session.js'

export function SourcesPage() {
  const { t, language } = useI18n()
  const { can } = useSession()
  const { busy, run } = useAction()
  const [sources, setSources] = useState<Source[]>([])
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm<NewSource>()
  const write = can('profiles.write')

  const load = useCallback(async () => setSources((await api.call(routes.listSources, {})).items), [])
  useEffect(() => void run(load), [run, load])
  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work()
      await load()
    })
  const create = async () => {
    const values = await form.validateFields()
    await act(async () => {
      await api.call(routes.createSource, { body: values })
      setCreating(false)
      form.resetFields()
    })
  }

  return (
    <Card
      title={t('sources.title')}
      extra={
        write && (
          <Button type="primary" data-testid="create-source" onClick={() => setCreating(true)}>
            {t('sources.create')}
          </Button>
        )
      }
    >
      <Table<Source>
        rowKey="id"
        loading={busy}
        dataSource={sources}
        pagination={false}
        data-testid="sources-table"
        columns={[
          { title: t('field.name'), dataIndex: 'name', render: (name: string, s) => <Link to={`/sources/${s.id}`}>{name}</Link> },
          { title: t('sources.kind'), dataIndex: 'kind', render: (kind: string) => t(kindLabel(kind)) },
          {
            title: t('sources.writeKey'),
            dataIndex: 'writeKey',
            render: (key: string) => <Typography.Text code copyable={{ text: key }}>{`${key.slice(0, 10)}…`}</Typography.Text>,
          },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at, language) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, s: Source) => (
              <Space>
                <Link to={`/sources/${s.id}`}>
                  <Button size="small" data-testid={`open-source-${s.name}`}>
                    {t('sources.open')}
                  </Button>
                </Link>
                {write && (
                  <>
                    <Popconfirm
                      title={t('sources.rotateConfirm')}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => act(() => api.call(routes.rotateSourceKey, { params: { id: s.id } }))}
                    >
                      <Button size="small">{t('sources.rotate')}</Button>
                    </Popconfirm>
                    <Popconfirm
                      title={t('sources.deleteConfirm')}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => act(() => api.call(routes.deleteSource, { params: { id: s.id } }))}
                    >
                      <Button size="small" danger>
                        {t('sources.delete')}
                      </Button>
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={t('sources.create')}
        open={creating}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'create-source-submit' } as Record<string, string>}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'app' }}>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="source-name" />
          </Form.Item>
          <Form.Item name="kind" label={t('sources.kind')} rules={[{ required: true }]}>
            <Select data-testid="source-kind" options={SOURCE_KINDS.map((k) => ({ value: k, label: t(kindLabel(k)) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
