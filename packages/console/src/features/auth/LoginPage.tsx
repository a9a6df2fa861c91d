import { routes, type LoginRequest } from '@reachloop/domain'
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { api, ApiError } from '../../shared/api.js'
import { useI18n } from '../../i18n/i18n.js'
import { CenteredPage } from '../../layout/CenteredPage.js'
import { useSession } from '../../shared/session.js'

/**
 * Sign-in. A refusal shows in the form, not as a passing message, so it goes away with the next
 * try and with the page once signed in: no "wrong password" lingers over the console.
 */
export function LoginPage() {
  const { t, tMaybe } = useI18n()
  const { message } = App.useApp()
  const { signedIn } = useSession()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (values: LoginRequest) => {
    setBusy(true)
    setError(null)
    message.destroy()
    try {
      signedIn(await api.call(routes.login, { body: values }))
    } catch (failure) {
      setError(failure instanceof ApiError ? tMaybe(`error.${failure.code}`, failure.message) : t('error.generic'))
      setBusy(false)
    }
  }
  return (
    <CenteredPage>
      <Card style={{ width: 380 }} data-testid="login-page">
        <Typography.Title level={3}>{t('login.title')}</Typography.Title>
        <Form layout="vertical" onFinish={(values: LoginRequest) => void submit(values)} requiredMark={false}>
          <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email' }]}>
            <Input data-testid="login-email" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('field.password')} rules={[{ required: true }]}>
            <Input.Password data-testid="login-password" autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </CenteredPage>
  )
}
