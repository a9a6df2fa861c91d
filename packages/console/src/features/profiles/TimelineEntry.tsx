import { PROFILE_CREATED, PROFILES_MERGED, type TimelineEvent } from '@reachloop/domain'
import { Space, Tag, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

const money = (minor: unknown, currency: unknown, language: string) =>
  typeof minor === 'number'
    ? new Intl.NumberFormat(language, { style: 'currency', currency: typeof currency === 'string' ? currency : 'CNY' }).format(minor / 100)
    : ''

/** One event of a timeline, told in words: an order with its amount, items and coupon; a page; a profile update. */
export function TimelineEntry({ event }: { event: TimelineEvent }) {
  const { t, language } = useI18n()
  const p = event.properties
  if (event.type === 'track' && event.name === 'Order Completed') {
    const items = Array.isArray(p.products) ? p.products.length : 0
    return (
      <Space wrap>
        <Typography.Text strong>{t('timeline.order')}</Typography.Text>
        <Typography.Text>{money(p.total, p.currency, language)}</Typography.Text>
        {items > 0 && <Typography.Text type="secondary">{`${items} ${t('timeline.items')}`}</Typography.Text>}
        {typeof p.coupon === 'string' && <Tag color="gold">{`${t('timeline.coupon')} ${p.coupon}`}</Tag>}
        {typeof p.order_id === 'string' && (
          <Typography.Text type="secondary" code>
            {p.order_id}
          </Typography.Text>
        )}
      </Space>
    )
  }
  if (event.type === 'page' || event.type === 'screen') {
    return (
      <Space>
        <Typography.Text strong>{t('timeline.page')}</Typography.Text>
        <Typography.Text>{event.name ?? ''}</Typography.Text>
        {typeof p.path === 'string' && (
          <Typography.Text type="secondary" code>
            {p.path}
          </Typography.Text>
        )}
      </Space>
    )
  }
  if (event.type === 'identify') {
    return (
      <Space wrap>
        <Typography.Text strong>{t('timeline.identify')}</Typography.Text>
        {Object.keys(event.traits).map((k) => (
          <Tag key={k}>{k}</Tag>
        ))}
      </Space>
    )
  }
  const audience = {
    'Segment Entered': 'timeline.segmentEntered',
    'Segment Exited': 'timeline.segmentExited',
    'Tag Added': 'timeline.tagAdded',
    'Tag Removed': 'timeline.tagRemoved',
  } as const
  if (event.type === 'track' && event.name && event.name in audience) {
    const name = p.segment_name ?? p.tag_name
    const entered = event.name === 'Segment Entered' || event.name === 'Tag Added'
    return (
      <Space>
        <Typography.Text strong>{t(audience[event.name as keyof typeof audience])}</Typography.Text>
        <Tag color={entered ? 'green' : 'default'}>{typeof name === 'string' ? name : ''}</Tag>
      </Space>
    )
  }
  if (event.type === 'track' && event.name === PROFILE_CREATED)
    return <Typography.Text strong>{t('timeline.profileCreated')}</Typography.Text>
  if (event.type === 'track' && event.name === PROFILES_MERGED) {
    return (
      <Space wrap>
        <Typography.Text strong>{t('timeline.profilesMerged')}</Typography.Text>
        <Tag>{t(p.by === 'hand' ? 'timeline.mergedByHand' : 'timeline.mergedByIngestion')}</Tag>
        {typeof p.merged_profile_id === 'string' && (
          <Typography.Text type="secondary" code>
            {p.merged_profile_id}
          </Typography.Text>
        )}
      </Space>
    )
  }
  if (event.type === 'alias') return <Typography.Text strong>{t('timeline.alias')}</Typography.Text>
  const summary = Object.entries(p)
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return (
    <Space wrap>
      <Typography.Text strong>{event.name ?? event.type}</Typography.Text>
      {summary.map((s) => (
        <Typography.Text key={s} type="secondary">
          {s}
        </Typography.Text>
      ))}
    </Space>
  )
}
