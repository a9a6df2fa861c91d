import { SOURCE_KINDS, type NewSource } from '@reachloop/domain'
import { Form, Input, Modal, Select, type FormInstance } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { kindLabel } from './source-kind.js'

/** The form of a new source: its name and kind. */
export function NewSourceModal({
  open,
  form,
  onOk,
  onCancel,
}: {
  open: boolean
  form: FormInstance<NewSource>
  onOk: () => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal
      title={t('sources.create')}
      open={open}
      onOk={onOk}
      onCancel={onCancel}
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
  )
}
