import { PROFILE_CREATED, PROFILES_MERGED, type TimelineEvent } from '@reachloop/domain'
import { Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { AUDIENCE_EVENTS, AudienceEntry, IdentifyEntry, MergedEntry, OrderEntry, OtherEntry, PageEntry } from './timeline-entries.js'

const isAudienceEvent = (event: TimelineEvent): event is TimelineEvent & { name: keyof typeof AUDIENCE_EVENTS } =>
  event.type === 'track' && !!event.name && event.name in AUDIENCE_EVENTS

/** One event of a timeline, told in words: an order with its amount, items and coupon; a page; a profile update. */
export function TimelineEntry({ event }: { event: TimelineEvent }) {
  const { t } = useI18n()
  if (event.type === 'track' && event.name === 'Order Completed') return <OrderEntry event={event} />
  if (event.type === 'page' || event.type === 'screen') return <PageEntry event={event} />
  if (event.type === 'identify') return <IdentifyEntry event={event} />
  if (isAudienceEvent(event)) return <AudienceEntry event={event} />
  if (event.type === 'track' && event.name === PROFILE_CREATED)
    return <Typography.Text strong>{t('timeline.profileCreated')}</Typography.Text>
  if (event.type === 'track' && event.name === PROFILES_MERGED) return <MergedEntry event={event} />
  if (event.type === 'alias') return <Typography.Text strong>{t('timeline.alias')}</Typography.Text>
  return <OtherEntry event={event} />
}
