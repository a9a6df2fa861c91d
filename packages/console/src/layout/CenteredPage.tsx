import { Flex, Typography } from 'antd'
import type { ReactNode } from 'react'
import { LanguageSwitch } from '../shared/LanguageSwitch.js'
import { useI18n } from '../i18n/i18n.js'

/** A page with one card in the middle: setup and sign-in. */
export function CenteredPage({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  return (
    <Flex vertical align="center" justify="center" gap={24} style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Flex align="center" gap={12}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        <LanguageSwitch />
      </Flex>
      {children}
    </Flex>
  )
}
