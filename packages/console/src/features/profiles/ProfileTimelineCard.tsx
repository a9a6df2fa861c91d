import type { TimelineEvent } from '@reachloop/domain'
import { Button, Card, Empty, Flex, Select, Timeline, Typography } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { TimelineEntry } from './TimelineEntry.js'
import { useEventDescriptions } from './use-event-descriptions.js'
import type { useProfileTimeline } from './use-profile-timeline.js'

const TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const

/** A profile's timeline: every event told in words, filtered by type, with more on request. */
export function ProfileTimelineCard({ timeline }: { timeline: ReturnType<typeof useProfileTimeline> }) {
  const { t, language } = useI18n()
  const { type, setType, events } = timeline
  const describe = useEventDescriptions()
  return (
    <Card
      title={t('profiles.timeline')}
      extra={
        <Select
          allowClear
          placeholder={t('timeline.all')}
          style={{ width: 160 }}
          value={type}
          onChange={setType}
          options={TYPES.map((v) => ({ value: v, label: t(`timeline.type.${v}`) }))}
        />
      }
    >
      {events.items.length === 0 ? (
        <Empty />
      ) : (
        <Timeline
          data-testid="profile-timeline"
          items={events.items.map((e: TimelineEvent) => ({
            key: e.id,
            children: (
              <Flex vertical>
                <Typography.Text type="secondary">{formatTime(e.timestamp, language)}</Typography.Text>
                <TimelineEntry event={e} describe={describe} />
              </Flex>
            ),
          }))}
        />
      )}
      {events.hasMore && (
        <Button onClick={() => void events.loadMore()} loading={events.loading}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  )
}
