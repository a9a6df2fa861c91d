import { PlusOutlined, UploadOutlined } from '@ant-design/icons'
import { routes, type Import, type ImportKind, type ImportMapping, type Source } from '@reachloop/domain'
import { Button, Divider, Flex, Form, Input, Modal, Progress, Radio, Select, Space, Steps, Table, Upload } from 'antd'
import { useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { percentOf } from './import-progress.js'

interface MappingForm {
  kind: ImportKind
  sourceId: string
  userId?: string
  anonymousId?: string
  eventName?: string
  event?: string
  timestamp?: string
  messageId?: string
  traits?: Array<{ name: string; column: string }>
  properties?: Array<{ name: string; column: string }>
}

/** Sends the file as it is; its name says whether it is CSV or JSON lines. */
function uploadFile(file: File): Promise<Import> {
  const format = /\.(jsonl|ndjson)$/i.test(file.name) ? 'jsonl' : 'csv'
  const contentType = format === 'csv' ? 'text/csv' : 'application/x-ndjson'
  return api.upload(routes.uploadImport, { query: { format, fileName: file.name }, file, contentType })
}

const pairs = (list: Array<{ name: string; column: string }> | undefined) =>
  Object.fromEntries((list ?? []).filter((p) => p.name && p.column).map((p) => [p.name, p.column]))

/** Upload → map columns → watch the import run. */
export function ImportWizard({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n()
  const { busy, run } = useAction()
  const [step, setStep] = useState(0)
  const [upload, setUpload] = useState<Import>()
  const [sources, setSources] = useState<Source[]>([])
  const [form] = Form.useForm<MappingForm>()
  const kind = Form.useWatch('kind', form)

  useEffect(() => {
    if (open) void run(async () => setSources((await api.call(routes.listSources, {})).items))
  }, [open, run])
  useEffect(() => {
    if (step !== 2 || !upload || upload.status === 'done' || upload.status === 'failed') return
    const timer = setInterval(() => void api.call(routes.getImport, { params: { id: upload.id } }).then(setUpload, () => undefined), 1000)
    return () => clearInterval(timer)
  }, [step, upload])

  const close = () => {
    setStep(0)
    setUpload(undefined)
    form.resetFields()
    onClose()
  }
  const start = async () => {
    const v = await form.validateFields()
    const mapping: ImportMapping = {
      ...(v.userId ? { userId: v.userId } : {}),
      ...(v.anonymousId ? { anonymousId: v.anonymousId } : {}),
      ...(v.eventName ? { eventName: v.eventName } : {}),
      ...(v.event ? { event: v.event } : {}),
      ...(v.timestamp ? { timestamp: v.timestamp } : {}),
      ...(v.messageId ? { messageId: v.messageId } : {}),
      traits: pairs(v.traits),
      properties: pairs(v.properties),
    }
    const started = await run(() =>
      api.call(routes.startImport, { params: { id: upload?.id ?? '' }, body: { kind: v.kind, sourceId: v.sourceId, mapping } }),
    )
    if (started) {
      setUpload(started)
      setStep(2)
    }
  }
  const columns = (upload?.columns ?? []).map((c) => ({ value: c, label: c }))
  const fieldList = (name: 'traits' | 'properties', label: string) => (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          <Divider plain>{label}</Divider>
          {fields.map((field) => (
            <Space key={field.key} align="baseline">
              <Form.Item name={[field.name, 'name']} rules={[{ required: true }]}>
                <Input placeholder="phone" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={[field.name, 'column']} rules={[{ required: true }]}>
                <Select options={columns} style={{ width: 220 }} data-testid={`${name}-column-${field.name}`} />
              </Form.Item>
              <Button type="link" onClick={() => remove(field.name)}>
                ×
              </Button>
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ name: '', column: '' })} data-testid={`add-${name}`}>
            {t('imports.addField')}
          </Button>
        </>
      )}
    </Form.List>
  )

  return (
    <Modal title={t('imports.new')} open={open} onCancel={close} width={880} footer={null} destroyOnHidden>
      <Steps
        current={step}
        items={[{ title: t('imports.step.upload') }, { title: t('imports.step.map') }, { title: t('imports.step.run') }]}
        style={{ marginBottom: 24 }}
      />
      {step === 0 && (
        <Upload.Dragger
          accept=".csv,.jsonl,.ndjson"
          showUploadList={false}
          customRequest={({ file }) =>
            void run(async () => {
              setUpload(await uploadFile(file as File))
              setStep(1)
            })
          }
          data-testid="import-upload"
        >
          <p>
            <UploadOutlined style={{ fontSize: 32 }} />
          </p>
          <p>{t('imports.upload')}</p>
        </Upload.Dragger>
      )}
      {step === 1 && upload && (
        <>
          <Table
            size="small"
            pagination={false}
            scroll={{ x: true }}
            rowKey={(_, i) => String(i)}
            dataSource={upload.preview as Array<Record<string, unknown>>}
            columns={upload.columns
              .filter((c) => !c.includes('.'))
              .map((c) => ({
                title: c,
                dataIndex: c,
                render: (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v ?? '')),
              }))}
          />
          <Form form={form} layout="vertical" style={{ marginTop: 16 }} initialValues={{ kind: 'profiles', sourceId: sources[0]?.id }}>
            <Flex gap={16}>
              <Form.Item name="kind" label={t('imports.kind')} rules={[{ required: true }]}>
                <Radio.Group
                  options={[
                    { value: 'profiles', label: t('imports.kind.profiles') },
                    { value: 'events', label: t('imports.kind.events') },
                  ]}
                  data-testid="import-kind"
                />
              </Form.Item>
              <Form.Item name="sourceId" label={t('imports.source')} rules={[{ required: true }]} style={{ minWidth: 220 }}>
                <Select options={sources.map((s) => ({ value: s.id, label: s.name }))} data-testid="import-source" />
              </Form.Item>
            </Flex>
            <Flex gap={16}>
              <Form.Item name="userId" label={`userId · ${t('imports.customerKey')}`} style={{ flex: 1 }}>
                <Select allowClear options={columns} data-testid="map-userId" />
              </Form.Item>
              <Form.Item name="anonymousId" label="anonymousId" style={{ flex: 1 }}>
                <Select allowClear options={columns} />
              </Form.Item>
              <Form.Item name="timestamp" label={t('imports.timestamp')} style={{ flex: 1 }}>
                <Select allowClear options={columns} data-testid="map-timestamp" />
              </Form.Item>
            </Flex>
            {kind === 'events' && (
              <Flex gap={16}>
                <Form.Item name="eventName" label={t('imports.eventName')} style={{ flex: 1 }}>
                  <Input placeholder="Order Completed" data-testid="map-eventName" />
                </Form.Item>
                <Form.Item name="event" label={t('imports.eventColumn')} style={{ flex: 1 }}>
                  <Select allowClear options={columns} />
                </Form.Item>
                <Form.Item name="messageId" label={t('imports.messageId')} style={{ flex: 1 }}>
                  <Select allowClear options={columns} data-testid="map-messageId" />
                </Form.Item>
              </Flex>
            )}
            {fieldList('traits', t('imports.traits'))}
            {kind === 'events' && fieldList('properties', t('imports.properties'))}
            <Flex justify="end" style={{ marginTop: 24 }}>
              <Button type="primary" loading={busy} onClick={() => void start()} data-testid="start-import">
                {t('imports.start')}
              </Button>
            </Flex>
          </Form>
        </>
      )}
      {step === 2 && upload && (
        <Flex vertical align="center" gap={16}>
          <Progress
            type="circle"
            percent={percentOf(upload)}
            status={upload.status === 'failed' ? 'exception' : undefined}
            data-testid="import-progress"
          />
          <span data-testid="import-outcome">{`${upload.processedRows} ${t('imports.rows')} · ${t('imports.accepted')} ${upload.accepted} · ${t('imports.duplicates')} ${upload.duplicates} · ${t('imports.rejected')} ${upload.rejected}`}</span>
          <Button onClick={close}>{t('common.confirm')}</Button>
        </Flex>
      )}
    </Modal>
  )
}
