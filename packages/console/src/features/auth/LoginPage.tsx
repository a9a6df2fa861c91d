import { routes, type LoginRequest } from '@reachloop/domain'
import { Button, Card, Form, Input, Typography } from 'antd'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { CenteredPage } from '../../layout/CenteredPage.js'
import { useSession } from '../../shared/session.js'

export function LoginPage() {
  const { t } = useI18n()
  const { signedIn } = useSession()
  const { busy, run } = useAction()
  const submit = (values: LoginRequest) => run(async () => signedIn(await api.call(routes.login, { body: values })))
  return (
    <CenteredPage>
      <Card style={{ width: 380 }} data-testid="login-page">
        <Typography.Title level={3}>{t('login.title')}</Typography.Title>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email' }]}>
            <Input data-testid="login-email" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('field.password')} rules={[{ required: true }]}>
            <Input.Password data-testid="login-password" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </CenteredPage>
  )
}
