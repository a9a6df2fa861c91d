import { ROLES, type NewUser, type Role } from '@reachloop/domain'
import { Form, Input, Modal, Select, type FormInstance } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { roleKey } from './role-key.js'

/** The form of a new user: email, name, role and an optional first password. */
export function AddUserModal({
  open,
  form,
  onOk,
  onCancel,
}: {
  open: boolean
  form: FormInstance<NewUser>
  onOk: () => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal
      title={t('users.add')}
      open={open}
      onOk={onOk}
      onCancel={onCancel}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'add-user-submit' } as Record<string, string>}
    >
      <Form form={form} layout="vertical" initialValues={{ role: 'marketer' }}>
        <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email' }]}>
          <Input data-testid="add-user-email" />
        </Form.Item>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="add-user-name" />
        </Form.Item>
        <Form.Item name="role" label={t('field.role')} rules={[{ required: true }]}>
          <Select<Role> data-testid="add-user-role" options={ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }))} />
        </Form.Item>
        <Form.Item name="password" label={t('field.password')} extra={t('users.passwordHint')} rules={[{ min: 8 }]}>
          <Input.Password data-testid="add-user-password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
