import { CheckCircleFilled } from '@ant-design/icons'
import type { GettingStarted as GettingStartedState, Overview } from '@reachloop/domain'
import { Card, List, Space, Typography } from 'antd'
import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'

const DEMO_COMMAND = 'npx reachloop demo --customers 5000'

function Step({ done, title, children, testId }: { done: boolean; title: string; children: ReactNode; testId: string }) {
  const { t } = useI18n()
  return (
    <List.Item data-testid={testId} data-done={done}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text strong>
          {done && <CheckCircleFilled style={{ color: '#15803d', marginRight: 8 }} aria-label={t('home.start.done')} />}
          {title}
        </Typography.Text>
        {children}
      </Space>
    </List.Item>
  )
}

/** The checklist of a workspace without data: a source and its snippet, a first event in the debugger, or the demo. */
export function GettingStarted({ state, sources }: { state: GettingStartedState; sources: Overview['sources'] }) {
  const { t } = useI18n()
  const source = sources.find((s) => s.id === state.firstEvent?.sourceId) ?? sources.find((s) => s.name !== null)
  return (
    <Card title={t('home.start.title')} data-testid="getting-started">
      <Typography.Paragraph type="secondary">{t('home.start.intro')}</Typography.Paragraph>
      <List>
        <Step done={state.hasSource} title={t('home.start.source')} testId="start-source">
          <Typography.Text type="secondary">{t('home.start.sourceHint')}</Typography.Text>
          <Link to="/sources">{t('home.start.sourceLink')}</Link>
        </Step>
        <Step done={state.firstEvent !== null} title={t('home.start.event')} testId="start-event">
          <Typography.Text type="secondary">{t('home.start.eventHint')}</Typography.Text>
          {source ? (
            <Link to={`/sources/${source.id}`} data-testid="start-event-link">
              {t('home.start.eventLink', { name: source.name ?? source.id })}
            </Link>
          ) : (
            <Typography.Text type="secondary">{t('home.start.eventNeedsSource')}</Typography.Text>
          )}
        </Step>
        <Step done={false} title={t('home.start.demo')} testId="start-demo">
          <Typography.Text type="secondary">{t('home.start.demoHint')}</Typography.Text>
          <Typography.Paragraph copyable code style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid="demo-command">
            {DEMO_COMMAND}
          </Typography.Paragraph>
        </Step>
      </List>
    </Card>
  )
}
