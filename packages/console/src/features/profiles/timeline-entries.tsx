import type { TimelineEvent } from '@reachloop/domain'
import { Space, Tag, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'

const money = (minor: unknown, currency: unknown, language: string) =>
  typeof minor === 'number'
    ? new Intl.NumberFormat(language, { style: 'currency', currency: typeof currency === 'string' ? currency : 'CNY' }).format(minor / 100)
    : ''

/** An order: its amount, how many items, the coupon and the order id. */
export function OrderEntry({ event }: { event: TimelineEvent }) {
  const { t, language } = useI18n()
  const p = event.properties
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

/** A page or screen viewed, with its path. */
export function PageEntry({ event }: { event: TimelineEvent }) {
  const { t } = useI18n()
  const p = event.properties
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

/** An identify call: the traits it set. */
export function IdentifyEntry({ event }: { event: TimelineEvent }) {
  const { t } = useI18n()
  return (
    <Space wrap>
      <Typography.Text strong>{t('timeline.identify')}</Typography.Text>
      {Object.keys(event.traits).map((k) => (
        <Tag key={k}>{k}</Tag>
      ))}
    </Space>
  )
}

/** The events that tell a profile entered or left a segment or tag, and their messages. */
export const AUDIENCE_EVENTS = {
  'Segment Entered': 'timeline.segmentEntered',
  'Segment Exited': 'timeline.segmentExited',
  'Tag Added': 'timeline.tagAdded',
  'Tag Removed': 'timeline.tagRemoved',
} as const

/** Entered or left a segment or tag. */
export function AudienceEntry({ event }: { event: TimelineEvent & { name: keyof typeof AUDIENCE_EVENTS } }) {
  const { t } = useI18n()
  const p = event.properties
  const name = p.segment_name ?? p.tag_name
  const entered = event.name === 'Segment Entered' || event.name === 'Tag Added'
  return (
    <Space>
      <Typography.Text strong>{t(AUDIENCE_EVENTS[event.name])}</Typography.Text>
      <Tag color={entered ? 'green' : 'default'}>{typeof name === 'string' ? name : ''}</Tag>
    </Space>
  )
}

/** Another profile merged into this one, by hand or at ingestion. */
export function MergedEntry({ event }: { event: TimelineEvent }) {
  const { t } = useI18n()
  const p = event.properties
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

/** Any other event: its name and its first four properties. */
export function OtherEntry({ event }: { event: TimelineEvent }) {
  const summary = Object.entries(event.properties)
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
