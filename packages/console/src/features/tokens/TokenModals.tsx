import { ROLES, type NewApiToken, type Role } from '@reachloop/domain'
import { Alert, App, Form, Input, Modal, Select, Space, Typography, type FormInstance } from 'antd'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'

/** The form of a new token: its name and, optionally, a role narrower than its creator's. */
export function NewTokenModal({
  open,
  form,
  onOk,
  onCancel,
}: {
  open: boolean
  form: FormInstance<NewApiToken>
  onOk: () => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  return (
    <Modal title={t('tokens.create')} open={open} onOk={onOk} onCancel={onCancel} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="token-name" />
        </Form.Item>
        <Form.Item name="role" label={t('field.role')}>
          <Select<Role> allowClear options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** A new token's secret, shown once with a copy button. */
export function TokenSecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useI18n()
  const { message } = App.useApp()
  return (
    <Modal
      title={t('tokens.secretTitle')}
      open={secret !== null}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon message={t('tokens.secretHint')} />
        <Typography.Paragraph
          code
          copyable={{ text: secret ?? '', onCopy: () => void message.success(t('tokens.copied')) }}
          data-testid="token-secret"
        >
          {secret}
        </Typography.Paragraph>
      </Space>
    </Modal>
  )
}
