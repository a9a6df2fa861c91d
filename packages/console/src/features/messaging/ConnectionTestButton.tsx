import { routes, type ProviderAccount, type ResponseOf } from '@reachloop/domain'
import { Button, Space, Tag, Tooltip } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'

/** "Test connection": a harmless real call to the provider, then ok or the provider's code and message beside the button. */
export function ConnectionTestButton({ account }: { account: ProviderAccount }) {
  const { t } = useI18n()
  const { busy, run } = useAction()
  const [result, setResult] = useState<ResponseOf<typeof routes.testProviderAccount>>()
  const test = () =>
    run(async () => {
      setResult(undefined)
      setResult(await api.call(routes.testProviderAccount, { params: { id: account.id } }))
    })
  return (
    <Space size={4}>
      <Button size="small" loading={busy} onClick={() => void test()} data-testid={`test-provider-${account.name}`}>
        {t('messaging.providers.test')}
      </Button>
      {result && (
        <Tooltip title={result.detail}>
          <Tag color={result.ok ? 'success' : 'error'} data-testid={`test-result-${account.name}`}>
            {result.ok ? t('messaging.providers.testOk') : `${result.code ?? t('messaging.providers.testFailed')}: ${result.detail}`}
          </Tag>
        </Tooltip>
      )}
    </Space>
  )
}
