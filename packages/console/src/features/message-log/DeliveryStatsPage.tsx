import { CHANNELS, routes, type Channel } from '@reachloop/domain'
import { Card, Col, Empty, Row, Segmented, Select, Space, Table } from 'antd'
import { useMemo, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { EChart } from '../../shared/EChart.js'
import { dayOf } from '../../shared/format.js'
import { useMoney } from '../../shared/money-context.js'
import { useCall } from '../../shared/use-load.js'
import { channelTotals, emailRatesChartOption, outcomesChartOption, rate, statsDays, type Totals } from './delivery-charts.js'
import { channelName } from './message-words.js'

const PERIODS = [7, 30, 90] as const
const percent = (value: number | null) => (value === null ? '—' : `${value}%`)

/** Each channel's totals over the period, with its delivery, open and click rates. */
function ChannelTotalsTable({ channels }: { channels: Array<{ channel: Channel } & Totals> }) {
  const { t } = useI18n()
  const count = (key: keyof Totals) => ({ title: t(`deliveryStats.${key}`), dataIndex: key, align: 'right' as const })
  return (
    <Table
      rowKey="channel"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={channels}
      data-testid="stats-channels"
      columns={[
        { title: t('messageLog.channel'), dataIndex: 'channel', render: (c: Channel) => channelName(c, t) },
        { ...count('queued'), title: t('deliveryStats.total') },
        count('sent'),
        count('delivered'),
        count('failed'),
        count('suppressed'),
        {
          title: t('deliveryStats.deliveryRate'),
          key: 'deliveryRate',
          align: 'right',
          render: (_: unknown, c: Totals) => percent(rate(c.delivered, c.sent)),
        },
        {
          title: t('deliveryStats.openRate'),
          key: 'openRate',
          align: 'right',
          render: (_: unknown, c: Totals) => percent(rate(c.opened, c.sent)),
        },
        {
          title: t('deliveryStats.clickRate'),
          key: 'clickRate',
          align: 'right',
          render: (_: unknown, c: Totals) => percent(rate(c.clicked, c.sent)),
        },
      ]}
    />
  )
}

/** Messages per day by outcome, email open and click rates, and each channel's totals, over 7, 30 or 90 days. */
export function DeliveryStatsPage() {
  const { t } = useI18n()
  const { timeZone } = useMoney()
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30)
  const [channel, setChannel] = useState<Channel>()
  const { data, loading } = useCall(routes.deliveryStats, { query: { days } })
  const shown = useMemo(() => {
    if (!data) return null
    const today = dayOf(new Date().toISOString(), timeZone)
    const perDay = statsDays(data, today, days, channel)
    return {
      perDay,
      email: statsDays(data, today, days, 'email'),
      channels: channelTotals(data).filter((c) => !channel || c.channel === channel),
    }
  }, [data, days, channel, timeZone])
  const outcomes = useMemo(() => (shown ? outcomesChartOption(shown.perDay, t) : null), [shown, t])
  const rates = useMemo(() => (shown ? emailRatesChartOption(shown.email, t) : null), [shown, t])
  const showEmail = !channel || channel === 'email'

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('deliveryStats.title')}
        loading={loading && !data}
        extra={
          <Space wrap>
            <Select
              allowClear
              style={{ width: 180 }}
              placeholder={t('messageLog.anyChannel')}
              value={channel}
              onChange={(c?: Channel) => setChannel(c)}
              options={CHANNELS.map((c) => ({ value: c, label: channelName(c, t) }))}
              data-testid="stats-channel"
            />
            <Segmented
              value={days}
              onChange={(d) => setDays(d)}
              options={PERIODS.map((d) => ({ value: d, label: t('deliveryStats.days', { days: d }) }))}
              data-testid="stats-period"
            />
          </Space>
        }
      >
        {outcomes && shown && shown.channels.length > 0 ? (
          <EChart option={outcomes} height={300} testId="stats-outcomes" />
        ) : (
          <Empty description={t('deliveryStats.noData')} />
        )}
      </Card>
      <Row gutter={[24, 24]}>
        {showEmail && (
          <Col xs={24}>
            <Card title={t('deliveryStats.emailRates')}>
              {rates && shown?.email.some((d) => d.sent > 0) ? (
                <EChart option={rates} height={260} testId="stats-email-rates" />
              ) : (
                <Empty description={t('deliveryStats.noEmail')} />
              )}
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card title={t('deliveryStats.perChannel')}>
            <ChannelTotalsTable channels={shown?.channels ?? []} />
          </Card>
        </Col>
      </Row>
    </Space>
  )
}
