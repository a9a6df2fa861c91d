import type { IdentifierTypeChange } from '@reachloop/domain'
import { Form, Input, InputNumber, Modal, Select, type FormInstance } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

/** An identifier type being edited; a new one also gets its name. */
export type Editing = IdentifierTypeChange & { type: string; isNew: boolean }

/** The form of an identifier type's rule: priority, limit per customer, blocked values (and the name of a new type). */
export function IdentifierTypeModal({
  editing,
  form,
  onOk,
  onCancel,
}: {
  editing: Editing | null
  form: FormInstance<Editing>
  onOk: () => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal
      title={editing?.isNew ? t('identity.add') : editing?.type}
      open={editing !== null}
      onOk={onOk}
      onCancel={onCancel}
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
  )
}
