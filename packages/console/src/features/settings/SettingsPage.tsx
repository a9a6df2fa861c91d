import { routes, type WorkspaceSettings } from '@reachloop/domain'
import { App, Button, Card, Form, Input, Select } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { api } from '../../shared/api.js'
import { useErrorMessage } from '../../shared/use-error-message.js'
import { useI18n } from '../../i18n/i18n.js'
import { useSession } from '../../shared/session.js'

const CURRENCIES = ['CNY', 'HKD', 'TWD', 'USD', 'EUR', 'JPY', 'SGD']

export function SettingsPage() {
  const { t } = useI18n()
  const { can, refresh } = useSession()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const [form] = Form.useForm<WorkspaceSettings>()
  const [busy, setBusy] = useState(false)
  const zones = useMemo(
    () => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai', 'UTC']),
    [],
  )

  useEffect(() => {
    api.call(routes.getWorkspace, {}).then((w) => form.setFieldsValue(w), showError)
  }, [form, showError])

  const save = async (values: WorkspaceSettings) => {
    setBusy(true)
    try {
      form.setFieldsValue(await api.call(routes.updateWorkspace, { body: values }))
      void message.success(t('common.saved'))
      await refresh()
    } catch (error) {
      showError(error)
    } finally {
      setBusy(false)
    }
  }
  const readOnly = !can('workspace.manage')
  return (
    <Card title={t('settings.title')} style={{ maxWidth: 560 }}>
      <Form form={form} layout="vertical" onFinish={save} disabled={readOnly}>
        <Form.Item name="name" label={t('field.workspace')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="timeZone" label={t('settings.timeZone')} rules={[{ required: true }]}>
          <Select showSearch options={zones.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Form.Item name="currency" label={t('settings.currency')} rules={[{ required: true }]}>
          <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item name="locale" label={t('settings.locale')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en-US', label: 'English' },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  )
}
