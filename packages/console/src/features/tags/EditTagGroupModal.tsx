import { routes, type TagGroup } from '@reachloop/domain'
import { Alert, Checkbox, Form, Input, Modal } from 'antd'
import { useEffect } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'

/**
 * Renames a tag group or changes whether it is exclusive. Becoming exclusive changes nobody's tags:
 * it is refused while a profile holds two of the group's manual tags (the server says how many).
 */
export function EditTagGroupModal({
  group,
  onClose,
  onSaved,
}: {
  group: TagGroup | null
  onClose: () => void
  onSaved: () => Promise<void>
}) {
  const { t } = useI18n()
  const { busy, run } = useAction()
  const [form] = Form.useForm<{ name: string; exclusive: boolean }>()
  const exclusive = Form.useWatch('exclusive', form)
  useEffect(() => {
    if (group) form.setFieldsValue({ name: group.name, exclusive: group.exclusive })
  }, [group, form])
  const save = () =>
    run(async () => {
      if (!group) return
      const values = await form.validateFields()
      await api.call(routes.updateTagGroup, { params: { id: group.id }, body: { name: values.name, exclusive: values.exclusive } })
      onClose()
      await onSaved()
    })
  return (
    <Modal
      open={group !== null}
      title={`${t('tags.editGroup')}: ${group?.name ?? ''}`}
      onOk={() => void save()}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'edit-group-submit' } as Record<string, string>}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('segments.name')} rules={[{ required: true }]}>
          <Input data-testid="edit-group-name" />
        </Form.Item>
        <Form.Item name="exclusive" valuePropName="checked">
          <Checkbox data-testid="edit-group-exclusive">{t('tags.exclusive')}</Checkbox>
        </Form.Item>
      </Form>
      {exclusive && group && !group.exclusive && <Alert type="info" showIcon title={t('tags.becomingExclusive')} />}
    </Modal>
  )
}
