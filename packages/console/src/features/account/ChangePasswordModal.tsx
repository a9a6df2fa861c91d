import { routes } from '@reachloop/domain'
import { App, Alert, Form, Input, Modal } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { ApiError, api } from '../../shared/api.js'
import { useErrorMessage } from '../../shared/use-error-message.js'

type Fields = { currentPassword: string; newPassword: string; confirm: string }

/**
 * The signed-in user changes their own password: the current one, the new one twice (at least 8
 * characters, as at setup). A wrong current password is said on the form; this browser stays
 * signed in and the others are signed out.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, tMaybe } = useI18n()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const [form] = Form.useForm<Fields>()
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const close = () => {
    form.resetFields()
    setRefusal(null)
    onClose()
  }
  const submit = async () => {
    const fields = await form.validateFields().catch(() => null)
    if (!fields) return
    setBusy(true)
    setRefusal(null)
    try {
      await api.call(routes.changePassword, { body: { currentPassword: fields.currentPassword, newPassword: fields.newPassword } })
      void message.success(t('account.passwordChanged'))
      close()
    } catch (error) {
      if (error instanceof ApiError && ['WRONG_PASSWORD', 'LOGIN_LOCKED', 'VALIDATION_FAILED'].includes(error.code))
        setRefusal(tMaybe(`error.${error.code}`, error.message))
      else showError(error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      title={t('account.changePassword')}
      open={open}
      onOk={() => void submit()}
      onCancel={close}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'password-submit' } as Record<string, string>}
      destroyOnHidden
    >
      {refusal && <Alert type="error" showIcon message={refusal} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          extra={t('account.passwordRule')}
          rules={[{ required: true, min: 8, max: 200, message: t('account.passwordRule') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordsDiffer'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
