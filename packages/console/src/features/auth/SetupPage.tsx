import { routes, type SetupRequest } from '@reachloop/domain'
import { Button, Card, Form, Input, Typography } from 'antd'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'
import { CenteredPage } from '../../layout/CenteredPage.js'

/** First run: creates the first owner and workspace, then signs in. */
export function SetupPage() {
  const { t } = useI18n()
  const { signedIn } = useSession()
  const { busy, run } = useAction()
  const submit = (values: SetupRequest) => run(async () => signedIn(await api.call(routes.runSetup, { body: values })))
  return (
    <CenteredPage>
      <Card style={{ width: 420 }} data-testid="setup-page">
        <Typography.Title level={3}>{t('setup.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="workspace" label={t('field.workspace')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="setup-workspace" />
          </Form.Item>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="setup-name" />
          </Form.Item>
          <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email' }]}>
            <Input data-testid="setup-email" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('field.password')} rules={[{ required: true, min: 8 }]}>
            <Input.Password data-testid="setup-password" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Form>
      </Card>
    </CenteredPage>
  )
}
