import type { Import, Source } from '@reachloop/domain'
import { Button, Flex, Form, Input, Radio, Select, Table, type FormInstance } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import type { MappingForm } from './import-mapping.js'
import { MappingFieldList } from './MappingFieldList.js'

/** The first rows of the uploaded file, as the server read them. */
function UploadPreview({ upload }: { upload: Import }) {
  return (
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
  )
}

/** The columns an event import adds: the event's name (fixed or from a column) and its message id. */
function EventColumns({ columns }: { columns: Array<{ value: string; label: string }> }) {
  const { t } = useI18n()
  return (
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
  )
}

/** The wizard's second step: the file's first rows, then which column is what, and start. */
export function MappingStep({
  upload,
  sources,
  form,
  busy,
  onStart,
}: {
  upload: Import
  sources: Source[]
  form: FormInstance<MappingForm>
  busy: boolean
  onStart: () => void
}) {
  const { t } = useI18n()
  const kind = Form.useWatch('kind', form)
  const columns = upload.columns.map((c) => ({ value: c, label: c }))
  return (
    <>
      <UploadPreview upload={upload} />
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
        {kind === 'events' && <EventColumns columns={columns} />}
        <MappingFieldList name="traits" label={t('imports.traits')} columns={columns} />
        {kind === 'events' && <MappingFieldList name="properties" label={t('imports.properties')} columns={columns} />}
        <Flex justify="end" style={{ marginTop: 24 }}>
          <Button type="primary" loading={busy} onClick={onStart} data-testid="start-import">
            {t('imports.start')}
          </Button>
        </Flex>
      </Form>
    </>
  )
}
