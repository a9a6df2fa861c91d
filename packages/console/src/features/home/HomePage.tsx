import { routes, type Overview, type OverviewPeriod } from '@reachloop/domain'
import { Button, Card, Col, Empty, Flex, Row, Segmented, Skeleton, Space, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useI18n, type MessageKey } from '../../i18n/i18n.js'
import { EChart } from '../../shared/EChart.js'
import { formatMoney } from '../../shared/money.js'
import { useCall } from '../../shared/use-load.js'
import { FigureCard } from './FigureCard.js'
import { GettingStarted } from './GettingStarted.js'
import { customersChartOption, eventsChartOption, ordersChartOption } from './overview-charts.js'

const FIGURES: ReadonlyArray<{ key: keyof Overview['totals']; label: MessageKey; money?: true }> = [
  { key: 'customers', label: 'home.customers' },
  { key: 'newCustomers', label: 'home.newCustomers' },
  { key: 'activeCustomers', label: 'home.activeCustomers' },
  { key: 'events', label: 'home.events' },
  { key: 'orders', label: 'home.orders' },
  { key: 'revenue', label: 'home.revenue', money: true },
]

/** The period's charts: customers, events per source, orders and revenue; each stacks under the other on a phone. */
function OverviewCharts({ overview }: { overview: Overview }) {
  const { t, language } = useI18n()
  const charts = useMemo(() => {
    const money = (minor: number) => formatMoney(minor, overview.currency, language)
    return [
      { title: t('home.customersChart'), option: customersChartOption(overview, t), testId: 'home-customers-chart' },
      { title: t('home.eventsChart'), option: eventsChartOption(overview, t), testId: 'home-events-chart' },
      { title: t('home.ordersChart'), option: ordersChartOption(overview, t, money), testId: 'home-orders-chart' },
    ]
  }, [overview, t, language])
  return (
    <Row gutter={[16, 16]}>
      {charts.map((c) => (
        <Col key={c.testId} xs={24} xl={c.testId === 'home-customers-chart' ? 24 : 12}>
          <Card size="small" title={c.title}>
            <EChart option={c.option} height={260} testId={c.testId} />
          </Card>
        </Col>
      ))}
    </Row>
  )
}

/** Home: the workspace's last 7 or 30 days against the period before, and a getting-started checklist until it has data. */
export function HomePage() {
  const { t, language } = useI18n()
  const [days, setDays] = useState<OverviewPeriod>(7)
  const { data: overview, loading, reload } = useCall(routes.getOverview, { query: { days } })
  const number = (n: number) => n.toLocaleString(language)
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="home-page">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Space direction="vertical" size={0}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('home.title')}
          </Typography.Title>
          {overview && (
            <Typography.Text type="secondary">
              {t('home.range', { from: overview.from, to: overview.to, zone: overview.timeZone })}
            </Typography.Text>
          )}
        </Space>
        <Space wrap>
          <Segmented<OverviewPeriod>
            aria-label={t('home.period')}
            data-testid="home-period"
            value={days}
            onChange={setDays}
            options={[
              { value: 7, label: t('home.last7') },
              { value: 30, label: t('home.last30') },
            ]}
          />
          <Button onClick={() => void reload()} loading={loading}>
            {t('home.refresh')}
          </Button>
        </Space>
      </Flex>
      {!overview ? (
        <Skeleton active />
      ) : (
        <>
          {!overview.gettingStarted.hasData && <GettingStarted state={overview.gettingStarted} sources={overview.sources} />}
          <Row gutter={[16, 16]}>
            {FIGURES.map((f) => (
              <Col key={f.key} xs={24} sm={12} lg={8} xxl={4}>
                <FigureCard
                  title={t(f.label)}
                  figure={overview.totals[f.key]}
                  format={f.money ? (n) => formatMoney(n, overview.currency, language) : number}
                  testId={`figure-${f.key}`}
                />
              </Col>
            ))}
          </Row>
          {overview.gettingStarted.hasData ? <OverviewCharts overview={overview} /> : <Empty description={t('home.empty')} />}
        </>
      )}
    </Space>
  )
}
